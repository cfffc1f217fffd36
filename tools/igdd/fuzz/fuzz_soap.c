// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: soap_parse() of the envelope, then soap_handle() of
 * what it gave against the policy and a fake kernel (fake-nl.c), on the
 * service chosen by the first byte. Every response must be a complete
 * envelope (no overflow, no NUL inside).
 */
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "../fake-nl.h"
#include "../soap.h"

void igd_log(int prio, const char *fmt, ...)
{
	(void)prio;
	(void)fmt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[SOAP_BODY_MAX * 10];
	struct soap_env env = { .uptime = 1 };
	struct soap_req r;
	struct sbuf b;
	int perr, st;

	if (size < 1)
		return 0;
	static bool ready;

	if (!ready || fake.n > FAKE_MAX - 8) {
		fake_reset();
		ready = true;
	}
	inet_pton(AF_INET, "192.168.1.2", &env.client);
	env.authorised = data[0] & 4;
	perr = soap_parse((const char *)data + 1, size - 1, &r);
	sb_init(&b, out, sizeof(out));
	st = soap_handle(data[0] % 3, &r, perr, &env, &b);
	if ((st != 200 && st != 500) || b.overflow ||
	    strlen(out) != b.len || !strstr(out, "</s:Envelope>"))
		__builtin_trap();
	return 0;
}
