// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for igdd's NAT-PMP/PCP server (pcp.c) over the real
 * mapping layer (mapping.c) and the fake kernel (fake-nl.c).
 *
 * The first input byte picks the configuration (NAT-PMP, PCP, third
 * party, secure mode, NAT up or down, a nearly full table); the rest is
 * the datagram. Every answer is checked: bounded, a response (high bit of
 * the opcode), a version we speak, PCP answers whole 32-bit words.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "../fake-nl.h"
#include "../pcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void igd_log(int prio, const char *fmt, ...)
{
	(void)prio;
	(void)fmt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t resp[PCP_MAX_PACKET];
	struct pcp_conf conf = { .min_lifetime = 1, .max_lifetime = 86400 };
	struct sockaddr_in client = { .sin_family = AF_INET };
	struct in_addr server;
	uint8_t sel, *req;
	size_t n, i;

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;

	fake_reset();
	conf.natpmp = !(sel & 1);
	conf.pcp = !(sel & 2);
	conf.allow_third_party = sel & 4;
	fake_policy(!(sel & 8), (sel & 0x30) == 0x10 ? 2 : 0,
		    (sel & 0x30) == 0x20 ? 4 : 0, 604800);
	fake.nat_down = (sel & 0x30) == 0x30;
	if (sel & 0x40)		/* some mappings of all owners, nonce 1..12 */
		for (i = 0; i < 8; i++) {
			struct igd_map *m = fake_put((enum igd_owner)(i % 4),
						     i & 1 ? IPPROTO_UDP : IPPROTO_TCP,
						     i & 2 ? "192.168.1.2" : "192.168.1.3",
						     (uint16_t)(5000 + i / 2),
						     (uint16_t)(5000 + i), 3600);

			m->cookie_len = 12;
			memcpy(m->cookie, "\1\2\3\4\5\6\7\10\11\12\13\14", 12);
		}
	if (sel & 0x80)		/* nearly full */
		while (fake.n < FAKE_MAX - 1)
			fake_put(IGD_OWNER_ADMIN, IPPROTO_TCP, "192.168.1.9",
				 (uint16_t)(20000 + fake.n),
				 (uint16_t)(20000 + fake.n), 0);
	pcp_init(&conf, 1000);
	inet_pton(AF_INET, "192.168.1.2", &client.sin_addr);
	client.sin_port = htons(5350);
	inet_pton(AF_INET, "192.168.1.1", &server);

	/* an exact-size copy, so that reads past the end are caught */
	req = malloc(size ? size : 1);
	if (!req)
		return 0;
	memcpy(req, data, size);
	n = pcp_handle(req, size, &client, &server, resp, sizeof(resp), 1005);
	if (n > sizeof(resp))
		abort();
	if (n && !(resp[1] & 0x80))
		abort();
	if (n && resp[0] != 0 && resp[0] != 2)
		abort();
	if (n && resp[0] == 2 && (n % 4 || n < 24))
		abort();
	if (fake.n > FAKE_MAX)
		abort();
	/* a small buffer must not be overrun (ASan sees the exact size) */
	{
		size_t small = size % 40;
		uint8_t *r = malloc(small ? small : 1);

		if (r) {
			n = pcp_handle(req, size, &client, &server, r, small, 1005);
			if (n > small)
				abort();
			free(r);
		}
	}
	free(req);
	return 0;
}
