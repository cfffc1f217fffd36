#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest-timeout: 600
#
# Smoke run of the benchmark (bench/guest.sh, what make bench runs in its
# guest): plain routing, masquerade and one napt mode, 1024 flows, one
# short repetition, a small port range filled to 75 %.  Checks that the
# pipeline still produces sane numbers, not how fast anything is:
#   - every run left a record, the generator sent what it was told;
#   - the sink received most of it, a positive rate;
#   - the NATs hold one entry per flow after the warm-up, the sink saw no
#     untranslated packet from them, plain routing translated nothing;
#   - each fill step made about as many new mappings as it sent new flows.

# shellcheck disable=SC2317  # cleanup is called through trap
source "$(dirname "$0")/lib.sh"

OUT=$(mktemp /tmp/bench_smoke.XXXXXX.jsonl)
cleanup() {
	rm -f "$OUT"
}
trap cleanup EXIT

require_root
require_cmd ip nft /usr/bin/python3

BENCH_PARAMS=/dev/null BENCH_OUT=$OUT BENCH_CONFIGS="plain masq symmetric" \
	BENCH_FLOWS=1024 BENCH_PKTS=2000 BENCH_REPS=1 \
	BENCH_FILL_PORTS=1024 BENCH_FILL_STEP=50 BENCH_FILL_MAX=75 \
	"$TOPDIR/bench/guest.sh"
rc=$?
((rc == KSFT_SKIP)) && ksft_exit_skip "bench/guest.sh skipped"
check_err $rc "bench/guest.sh exited $rc"
log_test "benchmark ran"

/usr/bin/python3 - "$OUT" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
bad = []
def want(cond, what):
    if not cond:
        bad.append(what)
def get(phase, cfg):
    return [r for r in recs if r["phase"] == phase and r["config"] == cfg]
for cfg in ("plain", "masq", "symmetric"):
    est, warm, chk = get("est", cfg), get("warm", cfg), get("check", cfg)
    want(len(est) == 1 and len(warm) == 1 and len(chk) == 1,
         f"{cfg}: records est={len(est)} warm={len(warm)} check={len(chk)}")
    for r in est:
        want(r["sent"] == 2000, f"{cfg}: sent {r['sent']}, not 2000")
        want(r["rx"] >= r["sent"] * 0.5 and r["rx"] <= r["sent"],
             f"{cfg}: sink got {r['rx']} of {r['sent']}")
        want(r["pps"] > 0 and r["usec"] > 0, f"{cfg}: rate {r['pps']}")
    for r in warm:
        if cfg == "plain":
            want(r["entries"] == 0, f"plain: {r['entries']} entries")
        else:
            want(1024 <= r["entries"] <= 1100,
                 f"{cfg}: {r['entries']} entries after warming 1024 flows")
    for r in chk:
        if cfg == "plain":
            want(r["untranslated"] > 0, "plain: the sink saw no inside address")
        else:
            want(r["untranslated"] == 0,
                 f"{cfg}: {r['untranslated']} untranslated packets")
    fill = get("fill", cfg)
    want(len(fill) == 2, f"{cfg}: {len(fill)} fill steps, not 2")
    for r in fill:
        made = r["entries_after"] - r["entries_before"]
        want(r["pps"] > 0, f"{cfg} fill {r['target_pct']}%: rate {r['pps']}")
        if cfg != "plain":
            want(r["sent"] * 0.9 <= made <= r["sent"],
                 f"{cfg} fill {r['target_pct']}%: {made} new entries for {r['sent']} flows")
mem = [r for r in recs if r["phase"] == "mem" and r["config"] == "symmetric"]
want(len(mem) == 1 and mem[0]["map_objsize"] > 0 and mem[0]["table_bytes"] > 0,
     f"symmetric: memory record {mem}")
for b in bad:
    print("FAIL:", b)
print(f"{len(recs)} records, {len(bad)} problems")
sys.exit(1 if bad else 0)
EOF
check_err $? "the benchmark's numbers are not sane"
log_test "benchmark numbers sane"

exit "$EXIT_STATUS"
