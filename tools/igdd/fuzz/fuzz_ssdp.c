// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness: ssdp_parse() and the answers to whatever it accepts. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../ssdp.h"

static const char uuids[SSDP_NTREES][SSDP_NDEVS][37] = {
	{ "00000000-0000-0000-0000-000000000001",
	  "00000000-0000-0000-0000-000000000002",
	  "00000000-0000-0000-0000-000000000003" },
	{ "00000000-0000-0000-0000-000000000004",
	  "00000000-0000-0000-0000-000000000005",
	  "00000000-0000-0000-0000-000000000006" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ssdp_target t[SSDP_TARGETS_MAX];
	struct ssdp_search s;
	char usn[200];
	int n, i;

	if (ssdp_parse((const char *)data, size, &s) != SSDP_SEARCH)
		return 0;
	if (strlen(s.st) > SSDP_ST_MAX || s.mx > SSDP_MX_MAX)
		__builtin_trap();
	n = ssdp_targets(s.st, uuids, t, SSDP_TARGETS_MAX);
	for (i = 0; i < n; i++)
		ssdp_usn(&t[i], uuids, usn, sizeof(usn));
	return 0;
}
