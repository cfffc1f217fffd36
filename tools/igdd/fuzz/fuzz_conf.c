// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness: igd_conf_parse(); an error must name a line. */
#include <stdint.h>
#include <string.h>

#include "../conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct igd_conf c;
	char err[200];

	err[0] = '\0';
	if (igd_conf_parse((const char *)data, size, &c, err, sizeof(err))) {
		if (strncmp(err, "line ", 5))
			__builtin_trap();
		return 0;
	}
	if (c.nlan > IGD_LAN_MAX || c.policy.nrules > IGD_RULES_MAX ||
	    !c.policy.max_lease || c.policy.max_lease > 604800)
		__builtin_trap();
	return 0;
}
