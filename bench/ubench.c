// SPDX-License-Identifier: GPL-2.0
/*
 * ubench: kmod/table.c and kmod/xlate.c, compiled in userspace as
 * tests/unit does (its kcompat.h and kcompat.c, with bench/balloc.c and
 * bench/bhash.c for the allocator and the hash), driven
 * through the operations the packet path and the sweeper do, one table
 * size after the other.
 *
 *   ubench [-n OPS] [SIZE...]      default sizes 1024 65536 1048576 4194304
 *
 * For each SIZE it fills a fresh instance with SIZE endpoint-independent
 * UDP mappings (full cone, port preservation on; a new set of 16 external
 * addresses every 512Ki mappings, so that no address is more than about
 * half full), then measures, each over OPS operations:
 *   hit      napt_map_lookup_out() of a present key (random order)
 *   hit_in   napt_map_lookup_in() of a present external endpoint
 *   miss     napt_map_lookup_out() of an absent key
 *   insert   napt_map_create() of a new mapping (OPS/10 of them)
 *   xlate    napt_xlate_out() of an established flow (mapping and session
 *            present), minus the cost of rebuilding the test packet
 *   expire   napt_gc_step() once every mapping has expired, per mapping
 *            it removed
 * Under valgrind --tool=callgrind --instr-atstart=no each measured loop is
 * instrumented alone and dumped as "OP/SIZE/OPS" (scripts/bench.sh
 * divides the events by OPS); natively it prints nanoseconds per
 * operation.  The output lines are "ubench OP SIZE OPS NS_PER_OP".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include "napt.h"

#define BATCH (1u << 19)	/* mappings per set of external addresses */
#define HOST_PORTS 1000u	/* inside ports per inside host */

static struct napt_net nn;
static struct napt_cfg *cfgs;	/* one per external address set */
static unsigned int ncfg;
static struct napt_map **maps;	/* the populated mappings, by index */
static unsigned int nops = 100000;

static struct timespec t_start;
static char cur_name[64];

/* Start measuring NAME; end_measure() stops and reports per operation. */
static void begin_measure(const char *op, unsigned int size, unsigned int ops)
{
	snprintf(cur_name, sizeof(cur_name), "%s/%u/%u", op, size, ops);
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_ZERO_STATS;
	clock_gettime(CLOCK_MONOTONIC, &t_start);
}

static double end_measure(unsigned int ops)
{
	struct timespec t;
	double ns;

	clock_gettime(CLOCK_MONOTONIC, &t);
	CALLGRIND_DUMP_STATS_AT(cur_name);
	CALLGRIND_STOP_INSTRUMENTATION;
	ns = (t.tv_sec - t_start.tv_sec) * 1e9 + (t.tv_nsec - t_start.tv_nsec);
	return ops ? ns / ops : 0;
}

static void report(const char *op, unsigned int size, unsigned int ops,
		   double ns)
{
	printf("ubench %s %u %u %.1f\n", op, size, ops, ns);
	fflush(stdout);
}

static __be32 int_addr_of(unsigned int i)
{
	return htonl(0x0a000001u + i / HOST_PORTS);
}

static __be16 int_port_of(unsigned int i)
{
	return htons(2000 + i % HOST_PORTS);
}

static void key_of(unsigned int i, struct napt_okey *k)
{
	memset(k, 0, sizeof(*k));
	k->int_addr = int_addr_of(i);
	k->int_port = int_port_of(i);
	k->proto = IPPROTO_UDP;
}

static struct napt_cfg *cfg_of(unsigned int i)
{
	return &cfgs[i / BATCH];
}

static void setup(unsigned int size, unsigned int extra)
{
	unsigned int total = size + extra, c, j, max_maps, max_sess;

	ncfg = (total + BATCH - 1) / BATCH;
	cfgs = calloc(ncfg, sizeof(*cfgs));
	maps = calloc(total, sizeof(*maps));
	if (!cfgs || !maps) {
		fputs("ubench: out of memory\n", stderr);
		exit(1);
	}
	max_maps = size < 65536 ? 65536 : size;
	max_sess = max_maps <= NAPT_MAX_MAPS_LIMIT / 4 ? 4 * max_maps :
		   NAPT_MAX_MAPS_LIMIT;
	for (c = 0; c < ncfg; c++) {
		struct napt_cfg *cfg = &cfgs[c];

		napt_cfg_defaults(cfg);
		cfg->n_ext = NAPT_MAX_EXT_ADDRS;
		for (j = 0; j < cfg->n_ext; j++)
			cfg->ext[j] = htonl(0x64400000u | c << 8 | (j + 1));
		cfg->n_int = 1;
		cfg->int_nets[0].addr = htonl(0x0a000000);
		cfg->int_nets[0].mask = htonl(0xff000000);
		cfg->int_nets[0].len = 8;
		cfg->port_min = 1024;
		cfg->port_max = 65535;
		cfg->mapping[NAPT_UDP] = NAPT_MAPPING_EIM;
		cfg->filtering[NAPT_UDP] = NAPT_FILTER_EIF;
		cfg->max_maps = 2 * total;
		cfg->max_sess = max_sess;
	}
	memset(&nn, 0, sizeof(nn));
	nn.stats = calloc(1, sizeof(*nn.stats));
	if (!nn.stats || napt_table_init(&nn, max_maps, max_sess)) {
		fputs("ubench: table init failed\n", stderr);
		exit(1);
	}
}

static struct napt_map *create(unsigned int i)
{
	struct napt_okey k;
	int reason = 0;
	struct napt_map *m;

	key_of(i, &k);
	m = napt_map_create(&nn, cfg_of(i), &k, NAPT_MAPPING_EIM,
			    htonl(0xc6336401), htons(9), NULL, &reason);
	if (!m) {
		fprintf(stderr, "ubench: mapping %u refused (reason %d)\n", i,
			reason);
		exit(1);
	}
	return m;
}

static void teardown(void)
{
	napt_flush(&nn, NAPT_MAP_ANY, 0);
	rcu_barrier();
	napt_table_free(&nn);
	free(nn.stats);
	free(cfgs);
	free(maps);
	if (kc_live_maps || kc_live_sess) {
		fprintf(stderr, "ubench: %ld mappings, %ld sessions leaked\n",
			kc_live_maps, kc_live_sess);
		exit(1);
	}
}

static u32 rnd(void)
{
	return get_random_u32();
}

/* A 46-byte UDP datagram from inside endpoint @i to 198.51.100.1:9. */
static void build_pkt(unsigned char *buf, unsigned int i)
{
	struct iphdr *ip = (struct iphdr *)buf;
	struct udphdr *uh = (struct udphdr *)(buf + sizeof(*ip));

	memset(buf, 0, 46);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(46);
	ip->saddr = int_addr_of(i);
	ip->daddr = htonl(0xc6336401);
	uh->source = int_port_of(i);
	uh->dest = htons(9);
	uh->len = htons(26);
	uh->check = 0;	/* UDP: no checksum, as pktgen without UDPCSUM */
}

static void init_skb(struct sk_buff *skb, unsigned char *buf)
{
	memset(skb, 0, sizeof(*skb));
	skb->head = buf;
	skb->data = buf;
	skb->len = 46;
	skb->network_header = 0;
	skb->ip_summed = CHECKSUM_NONE;
}

static void run_size(unsigned int size)
{
	unsigned int nins = nops / 10 ? nops / 10 : 1, nx = nops < size ? nops : size;
	unsigned int i, *idx, freed = 0, sweeps = 0, want;
	struct napt_okey *keys;
	struct napt_map *m;
	unsigned long found = 0;
	unsigned char buf[64];
	struct sk_buff skb;
	double ns;

	setup(size, nins);
	keys = calloc(nops, sizeof(*keys));
	idx = calloc(nops, sizeof(*idx));
	if (!keys || !idx)
		exit(1);
	rcu_read_lock();
	for (i = 0; i < size; i++)
		maps[i] = create(i);

	/* hits, in random order */
	for (i = 0; i < nops; i++) {
		idx[i] = rnd() % size;
		key_of(idx[i], &keys[i]);
	}
	begin_measure("hit", size, nops);
	for (i = 0; i < nops; i++)
		found += napt_map_lookup_out(&nn, &keys[i]) != NULL;
	ns = end_measure(nops);
	if (found != nops) {
		fprintf(stderr, "ubench: %lu of %u hits found\n", found, nops);
		exit(1);
	}
	report("hit", size, nops, ns);

	found = 0;
	begin_measure("hit_in", size, nops);
	for (i = 0; i < nops; i++) {
		m = maps[idx[i]];
		found += napt_map_lookup_in(&nn, IPPROTO_UDP, m->ext_addr,
					    m->ext_port, 0) == m;
	}
	ns = end_measure(nops);
	if (found != nops) {
		fprintf(stderr, "ubench: %lu of %u inbound hits found\n", found,
			nops);
		exit(1);
	}
	report("hit_in", size, nops, ns);

	/* misses: present hosts, ports none of them uses (1000..1999) */
	for (i = 0; i < nops; i++) {
		key_of(rnd() % size, &keys[i]);
		keys[i].int_port = htons(1000 + rnd() % HOST_PORTS);
	}
	found = 0;
	begin_measure("miss", size, nops);
	for (i = 0; i < nops; i++)
		found += napt_map_lookup_out(&nn, &keys[i]) != NULL;
	ns = end_measure(nops);
	if (found) {
		fprintf(stderr, "ubench: %lu misses found\n", found);
		exit(1);
	}
	report("miss", size, nops, ns);

	/* inserts: the next mappings after the populated ones */
	begin_measure("insert", size, nins);
	for (i = size; i < size + nins; i++)
		maps[i] = create(i);
	ns = end_measure(nins);
	report("insert", size, nins, ns);

	/*
	 * xlate: nx established flows; the first pass makes their
	 * sessions, the second is measured, the packet rebuild alone is
	 * measured too and subtracted by scripts/bench.sh
	 */
	for (i = 0; i < nx; i++) {
		build_pkt(buf, idx[i]);
		init_skb(&skb, buf);
		if (napt_xlate_out(&nn, cfg_of(idx[i]), &skb) != NF_ACCEPT) {
			fprintf(stderr, "ubench: xlate of flow %u dropped\n", idx[i]);
			exit(1);
		}
	}
	begin_measure("xlate_pkt", size, nx);
	for (i = 0; i < nx; i++) {
		build_pkt(buf, idx[i]);
		init_skb(&skb, buf);
		found += skb.len;
	}
	ns = end_measure(nx);
	report("xlate_pkt", size, nx, ns);
	begin_measure("xlate", size, nx);
	for (i = 0; i < nx; i++) {
		build_pkt(buf, idx[i]);
		init_skb(&skb, buf);
		found += napt_xlate_out(&nn, cfg_of(idx[i]), &skb);
	}
	ns = end_measure(nx);
	report("xlate", size, nx, ns);

	/* expire: everything is past its time; sweep until nops are gone */
	jiffies += (unsigned long)(cfgs[0].timeout_udp + 10) * HZ;
	want = nops < size + nins ? nops : size + nins;
	begin_measure("expire", size, want);
	while (freed < want && sweeps < 1u << 24) {
		freed += napt_gc_step(&nn, napt_now(), 64);
		sweeps++;
	}
	ns = end_measure(freed);
	if (freed < want) {
		fprintf(stderr, "ubench: only %u expired\n", freed);
		exit(1);
	}
	report("expire", size, freed, ns);
	rcu_read_unlock();

	free(keys);
	free(idx);
	teardown();
}

int main(int argc, char **argv)
{
	static const unsigned int def[] = { 1024, 65536, 1u << 20, 1u << 22 };
	unsigned int sizes[16], n = 0, i;
	int a = 1;

	/* the lock checks' bookkeeping is not what is measured */
	kc_lockdep_off = true;
	if (a + 1 < argc && !strcmp(argv[a], "-n")) {
		nops = strtoul(argv[a + 1], NULL, 0);
		a += 2;
	}
	for (; a < argc && n < 16; a++)
		sizes[n++] = strtoul(argv[a], NULL, 0);
	if (!n)
		for (i = 0; i < ARRAY_SIZE(def); i++)
			sizes[n++] = def[i];
	for (i = 0; i < n; i++) {
		if (sizes[i] < 16 || sizes[i] > NAPT_MAX_MAPS_LIMIT / 2 ||
		    nops < 10) {
			fprintf(stderr, "ubench: bad size %u or ops %u\n",
				sizes[i], nops);
			return 2;
		}
	}
	for (i = 0; i < n; i++)
		run_size(sizes[i]);
	if (kc_errors) {
		fprintf(stderr, "ubench: %lu kernel API misuses\n", kc_errors);
		return 1;
	}
	return 0;
}
