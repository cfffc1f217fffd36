#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest-timeout: 2400
#
# The in-guest half of the napt benchmark (scripts/bench.sh runs it through
# selftests/vm/run.sh; selftests/bench_smoke.sh runs a short version).
#
#   +-----------+        +--------------------------------+        +-----------+
#   | GEN       |        | RTR                            |        | SINK      |
#   | pktgen    |  veth  | lan0 10.0.0.1/8                |  veth  | eth0      |
#   | gen0 -----+--------+----    forwarding, NAT    wan0 +--------+ counts rx |
#   | 10.0.0.2  |        |        203.0.113.1/24 (+15 ext)|        |203.0.113.2|
#   +-----------+        +--------------------------------+        +-----------+
#
# pktgen sends 64-byte UDP frames (60 bytes + FCS) from 10.<hosts>:<ports>
# to 198.51.100.<dsts>:9, routed through RTR to SINK; the sink's veth rx
# counter is the delivered count.  Every configuration uses the same
# topology and the same generator: plain routing (no NAT), nftables
# masquerade (conntrack), napt in each preset mode.
#
# Parameters (environment, or the file $BENCH_PARAMS sourced first):
#   BENCH_OUT       output file, one JSON object per line (required)
#   BENCH_CONFIGS   "plain masq full-cone restricted-cone
#                    port-restricted-cone symmetric"
#   BENCH_FLOWS     flow counts of the established-flow runs
#                   (each must be one of those in flow_shape below)
#   BENCH_PKTS      packets per established-flow measurement
#   BENCH_REPS      repetitions of each measurement
#   BENCH_FILL_PORTS  size of the port range of the fill runs (0: none)
#   BENCH_FILL_STEP   percent of that range filled per step
#   BENCH_FILL_MAX    fill the range up to this percent
#
# Exit: 0 when every run produced a record, 1 on a setup failure, 4 when
# pktgen or nft is missing.

# The whole script is one compound command, parsed before it runs: editing
# it while it runs cannot derail it.
{
# shellcheck disable=SC2317  # functions called through trap
source "$(dirname "$0")/../selftests/lib.sh"

# run.sh hands the guest no environment: scripts/bench.sh leaves the
# parameters in build/bench/params.sh
: "${BENCH_PARAMS:=$TOPDIR/build/bench/params.sh}"
# shellcheck disable=SC1090
[[ -r $BENCH_PARAMS ]] && source "$BENCH_PARAMS"
: "${BENCH_CONFIGS:=plain masq full-cone restricted-cone port-restricted-cone symmetric}"
: "${BENCH_FLOWS:=1 1024 64512 523264}"
: "${BENCH_PKTS:=40000}"
: "${BENCH_REPS:=3}"
: "${BENCH_FILL_PORTS:=16384}"
: "${BENCH_FILL_STEP:=10}"
: "${BENCH_FILL_MAX:=95}"
[[ -n ${BENCH_OUT:-} ]] || ksft_exit_fail "BENCH_OUT not set"

GEN='' RTR='' SINK=''
EXT_N=16	# external addresses of napt (NAPT_MAX_EXT_ADDRS)
PORT_LO=1024
PORT_HI=65535

# What this changes globally goes back at exit: the tests after it in the
# same guest boot must find the machine as it was.
OLD_BACKLOG='' OLD_CT_HASH='' OLD_CT_MAX='' PKTGEN_LOADED=0
cleanup() {
	cleanup_all_ns
	[[ -n $OLD_BACKLOG ]] && sysctl -qw net.core.netdev_max_backlog="$OLD_BACKLOG"
	[[ -n $OLD_CT_HASH ]] && echo "$OLD_CT_HASH" > /sys/module/nf_conntrack/parameters/hashsize
	[[ -n $OLD_CT_MAX ]] && sysctl -qw net.netfilter.nf_conntrack_max="$OLD_CT_MAX"
	((PKTGEN_LOADED)) && rmmod pktgen 2>/dev/null
}
trap cleanup EXIT

require_root
require_cmd ip nft
if [[ ! -d /sys/module/pktgen ]]; then
	modprobe pktgen 2>/dev/null && PKTGEN_LOADED=1
fi
[[ -d /proc/net/pktgen ]] || ksft_exit_skip "no pktgen module"
napt_load

OLD_BACKLOG=$(sysctl -n net.core.netdev_max_backlog)
sysctl -qw net.core.netdev_max_backlog=10000
# conntrack: room for every flow, nothing expiring during a run
# (the table and the limit are global, the timeouts per namespace)
modprobe nf_conntrack || ksft_exit_fail "no nf_conntrack"
OLD_CT_HASH=$(cat /sys/module/nf_conntrack/parameters/hashsize)
OLD_CT_MAX=$(sysctl -n net.netfilter.nf_conntrack_max)
echo 524288 > /sys/module/nf_conntrack/parameters/hashsize
sysctl -qw net.netfilter.nf_conntrack_max=4194304
: > "$BENCH_OUT" || ksft_exit_fail "cannot write $BENCH_OUT"

# flow_shape FLOWS: "HOSTS PORTS DSTS" whose sequential pktgen walk (each
# field steps by one per packet) visits exactly FLOWS distinct 5-tuples
# per cycle: lcm(HOSTS, PORTS, DSTS) = FLOWS with DSTS dividing PORTS.
flow_shape() {
	case $1 in
	1) echo "1 1 1" ;;
	1024) echo "1 1024 32" ;;
	64512) echo "63 1024 32" ;;
	523264) echo "511 1024 32" ;;
	1045504) echo "1021 1024 32" ;;
	*) return 1 ;;
	esac
}

ipn() { # N: 10.1.0.0 + N as a dotted quad
	local a=$((0x0a010000 + $1))
	echo "$((a >> 24 & 255)).$((a >> 16 & 255)).$((a >> 8 & 255)).$((a & 255))"
}

json_kv() { # KEY VALUE...: "key":value pairs, numbers as they are
	local out='' k v
	while (($#)); do
		k=$1 v=$2
		shift 2
		[[ $v =~ ^-?[0-9]+(\.[0-9]+)?$ ]] || v="\"$v\""
		out+="${out:+,}\"$k\":$v"
	done
	echo "{$out}"
}

emit() { json_kv "$@" >> "$BENCH_OUT"; }

# Every configuration of a phase has its own GEN, RTR and SINK, all set up
# at once, so that the repetitions can go round the configurations (a
# loaded host slows all of them alike).  use IDX makes those of the
# IDX-th configuration the current ones.
GENS=() RTRS=() SINKS=() DMACS=() CFGS=()
use() {
	GEN=${GENS[$1]} RTR=${RTRS[$1]} SINK=${SINKS[$1]} GEN_DMAC=${DMACS[$1]}
}

# topo_setup IDX CONFIG [PORTS_LO PORTS_HI ONE_ADDR]
topo_setup() {
	local idx=$1 cfg=$2 lo=${3:-$PORT_LO} hi=${4:-$PORT_HI} one=${5:-0} i ns ext=()
	GEN='' RTR='' SINK=''
	setup_ns GEN RTR SINK || return 1
	GENS[idx]=$GEN RTRS[idx]=$RTR SINKS[idx]=$SINK CFGS[idx]=$cfg
	ip link add gen0 netns "$GEN" type veth peer name lan0 netns "$RTR" || return 1
	ip link add wan0 netns "$RTR" type veth peer name eth0 netns "$SINK" || return 1
	# no IPv6 chatter on the links (the sink counts only the generator);
	# few commands: a loaded TCG guest forks slowly
	for ns in "$GEN" "$RTR" "$SINK"; do
		# shellcheck disable=SC2016  # for the shell in the namespace
		ip netns exec "$ns" sh -c '
			echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
			echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
			for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 > "$f"; done
			echo 1 > /proc/sys/net/ipv4/ip_forward' || return 1
	done
	ip -n "$GEN" -batch - <<-EOF || return 1
	addr add 10.0.0.2/8 dev gen0
	link set gen0 up
	EOF
	ip -n "$SINK" -batch - <<-EOF || return 1
	addr add 203.0.113.2/24 dev eth0
	link set eth0 up
	EOF
	{
		echo "addr add 10.0.0.1/8 dev lan0"
		echo "addr add 203.0.113.1/24 dev wan0"
		for ((i = 0; i < EXT_N - 1; i++)); do
			echo "addr add 203.0.113.$((10 + i))/24 dev wan0"
		done
		echo "link set lan0 up"
		echo "link set wan0 up"
		echo "route add 198.51.100.0/24 via 203.0.113.2"
		echo "neigh replace 203.0.113.2 dev wan0 nud permanent lladdr" \
			"$(ip -n "$SINK" -br link show eth0 | awk '{print $3}')"
	} | ip -n "$RTR" -batch - || return 1
	# the sink counts the datagrams of the generator, and those that arrive
	# untranslated (NAT configurations: none)
	ip netns exec "$SINK" nft -f - <<-EOF || return 1
	add table netdev sink
	add chain netdev sink in { type filter hook ingress device "eth0" priority 0; }
	add rule netdev sink in udp dport 9 counter
	add rule netdev sink in ip saddr 10.0.0.0/8 counter
	EOF
	GEN_DMAC=$(ip -n "$RTR" -br link show lan0 | awk '{print $3}')
	DMACS[idx]=$GEN_DMAC
	# the generator: gen0 on the first pktgen thread of GEN (a fresh
	# namespace has none)
	ip netns exec "$GEN" sh -c 'echo "add_device gen0" > /proc/net/pktgen/kpktgend_0' ||
		return 1
	busywait "$BUSYWAIT_TIMEOUT" ip netns exec "$GEN" test -e /proc/net/pktgen/gen0 ||
		{ log_err "pktgen did not add gen0"; return 1; }

	case $cfg in
	plain) ;;
	masq)
		ip netns exec "$RTR" sh -c '
			echo 3600 > /proc/sys/net/netfilter/nf_conntrack_udp_timeout &&
			echo 3600 > /proc/sys/net/netfilter/nf_conntrack_udp_timeout_stream' ||
			return 1
		local to=
		((lo != PORT_LO || hi != PORT_HI)) && to="meta l4proto udp masquerade to :$lo-$hi"
		ip netns exec "$RTR" nft -f - <<-EOF || return 1
		add table ip nat
		add chain ip nat post { type nat hook postrouting priority 100; }
		add rule ip nat post oifname "wan0" ${to:-masquerade}
		EOF
		;;
	*)
		if ((one)); then
			ext=(203.0.113.1)
		else
			ext=(203.0.113.1)
			for ((i = 0; i < EXT_N - 1; i++)); do ext+=("203.0.113.$((10 + i))"); done
		fi
		local ea=${ext[*]}
		natctl -n "$RTR" up ext-if wan0 int-net 10.0.0.0/8 \
			ext-addr "${ea// /,}" ports "$lo-$hi" mode "$cfg" \
			udp-timeout 3600 max-maps "$NAPT_MAX_MAPS" || return 1
		;;
	esac
}

# pktgen_run COUNT HOSTS PORTS DSTS SPORT0: send COUNT frames, print
# "SENT USEC RX" (RX: what the sink counted meanwhile).
pktgen_run() {
	local count=$1 hosts=$2 ports=$3 dsts=$4 sp=${5:-1024} rx0 rx1 res
	rx0=$(sink_counter 1)
	# shellcheck disable=SC2016
	res=$(ip netns exec "$GEN" bash -c '
		pg() { echo "$2" > "/proc/net/pktgen/$1" || echo "pktgen: $1: $2 refused" >&2; }
		pg gen0 "count $1"
		pg gen0 "clone_skb 0"
		pg gen0 "pkt_size 60"
		pg gen0 "delay 0"
		pg gen0 "dst_mac $2"
		pg gen0 "src_min $3"
		pg gen0 "src_max $4"
		pg gen0 "udp_src_min $5"
		pg gen0 "udp_src_max $6"
		pg gen0 "dst_min 198.51.100.1"
		pg gen0 "dst_max 198.51.100.$7"
		pg gen0 "udp_dst_min 9"
		pg gen0 "udp_dst_max 9"
		pg gen0 "flag UDPCSUM"
		pg pgctrl start
		# a loaded guest may return from "start" before the thread
		# picked the device up: wait for the result
		for ((i = 0; i < 6000; i++)); do
			grep -Eq "^Result: OK: [0-9]+\\(" /proc/net/pktgen/gen0 && break
			sleep 0.1
		done
		cat /proc/net/pktgen/gen0' _ "$count" "$GEN_DMAC" "$(ipn 1)" \
		"$(ipn "$hosts")" "$sp" "$((sp + ports))" "$dsts")
	rx1=$(sink_counter 1)
	# "Result: OK: 123456(c...) usec, 100000 (60byte,0frags)"
	if [[ $res =~ Result:\ OK:\ ([0-9]+)\(.*usec,\ ([0-9]+)\ \( ]]; then
		echo "${BASH_REMATCH[2]} ${BASH_REMATCH[1]} $((rx1 - rx0))"
	else
		echo "pktgen gave no result: $res" >&2
		return 1
	fi
}

# sink_counter N: packets the Nth counter of the sink has seen (1: the
# generator's datagrams, 2: those from inside addresses)
sink_counter() {
	ip netns exec "$SINK" nft list chain netdev sink in |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p' | sed -n "$1p"
}
untranslated() { sink_counter 2; }

# napt_show KEY: a number from natctl -j show of the current RTR (python
# starts slowly in a loaded TCG guest)
napt_show() {
	local v
	v=$(natctl -n "$RTR" -j show | grep -o "\"$1\":[0-9]*")
	echo "${v#*:}"
}

nat_entries() { # CONFIG: mappings (napt) or conntrack entries (masq) now
	case $1 in
	plain) echo 0 ;;
	masq) ip netns exec "$RTR" cat /proc/sys/net/netfilter/nf_conntrack_count ;;
	*) napt_show maps ;;
	esac
}

# slab_bytes NAME: bytes held by that cache's slabs, "0" if absent
slab_bytes() {
	awk -v n="$1" '$1 == n { print $15 * $6 * 4096; f = 1 }
		END { if (!f) print 0 }' /proc/slabinfo
}
# slab_active NAME: objects in use in cache NAME
slab_active() {
	awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }' /proc/slabinfo
}
# slab_objsize NAME: bytes one object takes in its slab (with metadata and
# alignment); also right when the cache was merged into another one
slab_objsize() {
	if [[ -r /sys/kernel/slab/$1/slab_size ]]; then
		cat "/sys/kernel/slab/$1/slab_size"
	else
		awk -v n="$1" '$1 == n { print $4; f = 1 } END { if (!f) print 0 }' /proc/slabinfo
	fi
}

pow2() { # N: the power of two at or above max(N, 256), as kmod/table.c
	local r=256
	while ((r < $1)); do r=$((r * 2)); done
	echo "$r"
}

# bucket arrays of the instance (kmod/table.c sizing: out and in by
# max-maps, sessions beyond each mapping's first by max-sessions / 4, hosts
# by max-maps / 16)
napt_table_bytes() {
	local mm ms
	mm=$(napt_show max_maps) ms=$(napt_show max_sessions)
	echo $((8 * (2 * $(pow2 "$mm") + $(pow2 $((ms / 4))) + $(pow2 $((mm / 16))))))
}

fail=0

# setup_all [PORTS_LO PORTS_HI ONE_ADDR]: a topology for every configuration
setup_all() {
	local i=0 cfg
	cleanup_all_ns
	GENS=() RTRS=() SINKS=() DMACS=() CFGS=()
	for cfg in $BENCH_CONFIGS; do
		if ! topo_setup "$i" "$cfg" "$@"; then
			log_err "setup of $cfg failed"
			return 1
		fi
		i=$((i + 1))
	done
}


# ---- established flows ------------------------------------------------------
# One set of topologies for all flow counts, in increasing order: the flows
# of a count include those of the smaller ones, so the state grows from one
# count to the next and nothing needs flushing.  napt is up with max-maps
# for the largest count (the power of two at or above it, at least 65536).
NAPT_MAX_MAPS=65536
for flows in $BENCH_FLOWS; do
	while ((NAPT_MAX_MAPS < flows)); do NAPT_MAX_MAPS=$((NAPT_MAX_MAPS * 2)); done
done
est_ok=0
if [[ -n $BENCH_FLOWS ]]; then
	sync
	echo 2 > /proc/sys/vm/drop_caches
	setup_all && est_ok=1
	((est_ok)) || fail=1
fi
for flows in $BENCH_FLOWS; do
	((est_ok)) || break
	shape=$(flow_shape "$flows") || { log_err "no flow shape for $flows"; fail=1; continue; }
	read -r hosts ports dsts <<< "$shape"
	# warm: every flow once (twice when few), one configuration after
	# the other
	warm=$flows
	((warm < 2048)) && warm=$((2 * flows))
	all_maps=0 all_sess=0
	for i in "${!CFGS[@]}"; do
		use "$i"
		cfg=${CFGS[i]}
		if ! r=$(pktgen_run "$warm" "$hosts" "$ports" "$dsts"); then
			fail=1
			continue
		fi
		read -r sent usec rx <<< "$r"
		n=$(nat_entries "$cfg")
		emit phase warm config "$cfg" flows "$flows" sent "$sent" usec "$usec" \
			rx "$rx" entries "$n"
		log_info "$cfg flows=$flows warm: $rx/$sent in ${usec}us, $n entries"
		case $cfg in
		plain | masq) ;;
		*)
			all_maps=$((all_maps + n))
			all_sess=$((all_sess + $(napt_show sessions)))
			;;
		esac
	done
	# memory: object sizes times counts plus the tables; and what the
	# slab caches hold (napt's are shared by its instances)
	if ((flows >= 1024)); then
		for i in "${!CFGS[@]}"; do
			use "$i"
			cfg=${CFGS[i]}
			case $cfg in
			plain) ;;
			masq)
				emit phase mem config "$cfg" flows "$flows" \
					entries "$(nat_entries "$cfg")" \
					objsize "$(slab_objsize nf_conntrack)" \
					slab_obj_bytes "$(slab_bytes nf_conntrack)" \
					table_bytes "$(($(cat /sys/module/nf_conntrack/parameters/hashsize) * 8))"
				;;
			*)
				emit phase mem config "$cfg" flows "$flows" \
					entries "$(nat_entries "$cfg")" \
					sessions "$(napt_show sessions)" \
					map_objsize "$(slab_objsize napt_map)" \
					sess_objsize "$(slab_objsize napt_sess)" \
					sess_objs_all "$(slab_active napt_sess)" \
					table_bytes "$(napt_table_bytes)" \
					all_maps "$all_maps" all_sess "$all_sess" \
					map_slab_bytes "$(slab_bytes napt_map)" \
					sess_slab_bytes "$(slab_bytes napt_sess)"
				;;
			esac
		done
	fi
	for ((rep = 1; rep <= BENCH_REPS; rep++)); do
		for i in "${!CFGS[@]}"; do
			use "$i"
			cfg=${CFGS[i]}
			if ! r=$(pktgen_run "$BENCH_PKTS" "$hosts" "$ports" "$dsts"); then
				fail=1
				continue
			fi
			read -r sent usec rx <<< "$r"
			pps=$(awk "BEGIN{printf \"%.0f\", $rx * 1e6 / $usec}")
			emit phase est config "$cfg" flows "$flows" rep "$rep" sent "$sent" \
				usec "$usec" rx "$rx" pps "$pps" entries "$(nat_entries "$cfg")"
			log_info "$cfg flows=$flows rep $rep: $rx/$sent in ${usec}us = $pps pps"
		done
	done
	for i in "${!CFGS[@]}"; do
		use "$i"
		emit phase check config "${CFGS[i]}" flows "$flows" untranslated "$(untranslated)"
	done
done

# ---- new mappings as the port range fills -------------------------------------
# One inside host, one destination, one external address, a range of
# BENCH_FILL_PORTS ports: every packet is a new flow (a new source port).
if ((BENCH_FILL_PORTS > 0)); then
	NAPT_MAX_MAPS=65536
	# the steps: every BENCH_FILL_STEP percent, and BENCH_FILL_MAX last
	pcts=()
	for ((pct = BENCH_FILL_STEP; pct < BENCH_FILL_MAX; pct += BENCH_FILL_STEP)); do
		pcts+=("$pct")
	done
	pcts+=("$BENCH_FILL_MAX")
	if setup_all 20000 $((20000 + BENCH_FILL_PORTS - 1)) 1; then
		sp=1024 prev=0
		for pct in "${pcts[@]}"; do
			# new flows to go from prev % to pct % of the range
			step=$((BENCH_FILL_PORTS * pct / 100 - BENCH_FILL_PORTS * prev / 100))
			for i in "${!CFGS[@]}"; do
				use "$i"
				cfg=${CFGS[i]}
				before=$(nat_entries "$cfg")
				if ! r=$(pktgen_run "$step" 1 "$step" 1 "$sp"); then
					fail=1
					continue
				fi
				read -r sent usec rx <<< "$r"
				after=$(nat_entries "$cfg")
				pps=$(awk "BEGIN{printf \"%.0f\", $rx * 1e6 / $usec}")
				emit phase fill config "$cfg" range "$BENCH_FILL_PORTS" \
					target_pct "$pct" sent "$sent" usec "$usec" rx "$rx" \
					pps "$pps" entries_before "$before" entries_after "$after"
				log_info "$cfg fill ${pct}%: $rx/$sent new flows in ${usec}us = $pps/s, entries $before -> $after"
			done
			sp=$((sp + step)) prev=$pct
		done
	else
		fail=1
	fi
fi

cleanup_all_ns
if ((fail)); then
	echo "FAIL: some runs produced no record"
	exit "$KSFT_FAIL"
fi
echo "PASS: $(wc -l < "$BENCH_OUT") records in $BENCH_OUT"
exit "$KSFT_PASS"
}
