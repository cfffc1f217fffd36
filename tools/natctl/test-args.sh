#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# natctl tests for the build host: no napt module is needed, and none is
# ever loaded. Bad arguments must fail with exit status 2 and one line
# "natctl: ..." on stderr, before any netlink I/O; good ones must get as
# far as the kernel and fail there with status 1 ("module not loaded", or
# a missing network namespace). test-print checks the reply printers, the
# requests and the extended-ack path without the module.
#
#   test-args.sh [ NATCTL [ TEST_PRINT ] ]
#
# Ends with "N passed, N failed"; exit status 1 if any failed.

NATCTL=${1:-./natctl}
TEST_PRINT=${2:-./test-print}
NONS=natctl-test-no-such-ns-$$

pass=0
fail=0
skip=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

ok() {
	pass=$((pass + 1))
}

ko() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}

# run CMD...: run it, stdout in $tmp/out, stderr in $tmp/err, status in $rc.
run() {
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}

# fails RC PATTERN ARGS...: natctl ARGS exits with RC, prints nothing on
# stdout and exactly one line "natctl: ..." containing PATTERN on stderr.
fails() {
	local want=$1 pat=$2 line
	shift 2
	run "$NATCTL" "$@"
	line=$(head -n 1 "$tmp/err")
	if [[ $rc != "$want" ]]; then
		ko "natctl $*: exit $rc, want $want: $(cat "$tmp/err")"
	elif [[ -s $tmp/out ]]; then
		ko "natctl $*: wrote to stdout: $(head -n 3 "$tmp/out")"
	elif [[ $(wc -l <"$tmp/err") != 1 || $line != "natctl: "* ]]; then
		ko "natctl $*: want one \"natctl: \" line on stderr, got: $(cat "$tmp/err")"
	elif [[ $line != *"$pat"* ]]; then
		ko "natctl $*: '$line' does not say '$pat'"
	else
		ok
	fi
}

# usage PATTERN ARGS...: a usage error (exit 2).
usage() {
	fails 2 "$@"
}

# succeeds PATTERN ARGS...: exit 0, PATTERN on stdout, nothing on stderr.
succeeds() {
	local pat=$1
	shift
	run "$NATCTL" "$@"
	if [[ $rc != 0 || -s $tmp/err ]]; then
		ko "natctl $*: exit $rc: $(cat "$tmp/err")"
	elif ! grep -qF -- "$pat" "$tmp/out"; then
		ko "natctl $*: stdout lacks '$pat'"
	else
		ok
	fi
}

# same NAME WANT_FILE GOT_FILE
same() {
	if cmp -s "$2" "$3"; then
		ok
	else
		ko "$1: output differs:"
		diff -u "$2" "$3" | sed 's/^/    /'
	fi
}

# printed WANT ARGS...: test-print ARGS succeeds and prints WANT exactly.
printed() {
	local want=$1
	shift
	run "$TEST_PRINT" "$@"
	printf '%s\n' "$want" >"$tmp/want"
	if [[ $rc != 0 || -s $tmp/err ]]; then
		ko "test-print $*: exit $rc: $(cat "$tmp/err")"
	else
		same "test-print $*" "$tmp/want" "$tmp/out"
	fi
}

[[ -x $NATCTL ]] || { echo "$NATCTL: not built"; exit 1; }

############################################################################
# help, version, global options

succeeds "Usage: natctl" help
succeeds "Usage: natctl" -h
succeeds "Usage: natctl" --help
succeeds "Usage: natctl" -j -p help
succeeds "map flush" map help
succeeds "natctl " -V
succeeds "natctl " -Version

run "$NATCTL"
if [[ $rc == 2 && ! -s $tmp/out ]] && grep -q "^Usage: natctl" "$tmp/err"; then
	ok
else
	ko "natctl without arguments: exit $rc, want 2 and the usage on stderr"
fi

# A write error is an error.
"$NATCTL" help >/dev/full 2>"$tmp/err"
rc=$?
if [[ $rc == 1 ]] && grep -q "^natctl: write error" "$tmp/err"; then
	ok
else
	ko "natctl help >/dev/full: exit $rc: $(cat "$tmp/err")"
fi

usage '"-x"' -x
usage "ambiguous option" -
usage 'unknown option "-jsonx"' --jsonx show
usage "missing value" -n
usage "-n given twice" -n a -n b show
usage "invalid network namespace name" -n ../etc show
usage "invalid network namespace name" -n "" show
usage "invalid network namespace name" -n a/b show
usage "invalid network namespace name" -n .. show

############################################################################
# commands

usage 'unknown command "frobnicate"' frobnicate
usage 'ambiguous command "s"' s
usage 'unknown command ""' ""
usage 'show: unexpected argument "all"' show all
usage 'down: unexpected argument "now"' down now
usage 'stats: unexpected argument "-j"' stats -j
usage 'monitor: unexpected argument "-j"' monitor -j
usage 'monitor: unexpected argument "udp"' monitor udp
usage 'map: unknown command "show"' map show
usage "map del: missing protocol (udp or tcp)" map d
usage 'map list: unknown keyword "sctp"' map list sctp
usage "map list: protocol given twice" map list udp tcp
usage "map list: type given twice" map list static dynamic
usage "map list: int given twice" map list int 10.0.0.1 int 10.0.0.2
usage 'missing value after "int"' map list int
usage 'invalid int "10.0.0"' map list int 10.0.0
usage 'invalid int "host.example"' map list int host.example
usage 'invalid int "10.0.0.1/32"' map list int 10.0.0.1/32
usage "map list: ext-port given twice" map list ext-port 1 ext-port 2
usage 'missing value after "ext-port"' map list ext-port
usage 'invalid ext-port "0" (expected an integer from 1 to 65535)' map list ext-port 0
usage 'invalid ext-port "65536"' map list ext-port 65536
usage 'map list: unknown keyword "lease"' map list lease 5
usage 'map flush: unknown value "old"' map flush old
usage 'map flush: unexpected argument "static"' map flush dynamic static

# map add
ADD=(map add udp 192.168.1.2:5000)
usage "map add: missing protocol (udp or tcp)" map add
usage "map add: missing protocol (udp or tcp)" map add 192.168.1.2:5000
usage 'map add: unknown protocol "icmp" (expected udp or tcp)' map add icmp 192.168.1.2:7
usage 'map add: unknown protocol "ext-port"' map add ext-port 80
usage "map add: missing INT_ADDR:INT_PORT" map add udp
usage "map add: missing INT_ADDR:INT_PORT" map add tcp
for ep in 192.168.1.2 192.168.1.2: :80 192.168.1:80 192.168.1.2:80x \
	  192.168.1.2:-1 192.168.1.2:+1 "192.168.1.2: 80" host.example:80 \
	  192.168.1.2:80:80 "[::1]:80" 192.168.1.0/24:80 ext-port; do
	usage "invalid internal endpoint \"$ep\" (expected ADDR:PORT" map add udp "$ep"
done
usage 'invalid internal endpoint "192.168.1.2:0": ports are 1 to 65535' map add udp 192.168.1.2:0
usage 'invalid internal endpoint "192.168.1.2:65536": ports are 1 to 65535' map add tcp 192.168.1.2:65536
usage 'invalid internal endpoint "192.168.1.2:99999999999999999999"' map add tcp 192.168.1.2:99999999999999999999
usage 'map add: unknown keyword "bogus" (expected ext-port, ext-addr, remote, lease, desc, replace, owner or cookie)' "${ADD[@]}" bogus 1
usage 'map add: unknown keyword "int"' "${ADD[@]}" int 10.0.0.1
usage 'map add: unknown keyword "static"' "${ADD[@]}" static
usage 'map add: ambiguous keyword "ext"' "${ADD[@]}" ext 80
usage 'map add: ambiguous keyword "r"' "${ADD[@]}" r
usage 'map add: unknown keyword "192.168.1.3:80"' "${ADD[@]}" 192.168.1.3:80
usage "map add: ext-port given twice" "${ADD[@]}" ext-port 1 ext-port 2
usage "map add: ext-addr given twice" "${ADD[@]}" ext-addr 203.0.113.1 ext-addr 203.0.113.1
usage "map add: remote given twice" "${ADD[@]}" remote 1.2.3.4 remote 1.2.3.5
usage "map add: lease given twice" "${ADD[@]}" lease 1 lease 2
usage "map add: desc given twice" "${ADD[@]}" desc a desc b
usage "map add: replace given twice" "${ADD[@]}" replace replace
usage "map add: owner given twice" "${ADD[@]}" owner upnp owner pcp
usage "map add: cookie given twice" "${ADD[@]}" cookie 00 cookie 01
usage 'unknown owner "igd" (expected admin, upnp, natpmp or pcp)' "${ADD[@]}" owner igd
usage 'unknown owner "1"' "${ADD[@]}" owner 1
usage 'unknown owner ""' "${ADD[@]}" owner ""
for c in "" 0 abc 0g zz "0a 1b" 0x0a 000102030405060708090a0b0c0d0e0f10; do
	usage "invalid cookie \"$c\" (expected 1 to 16 bytes in hex, such as 0a1b)" "${ADD[@]}" cookie "$c"
done
usage 'map del: unknown keyword "owner"' map del udp ext-port 80 owner upnp
usage 'map list: unknown keyword "cookie"' map list cookie 00
for kw in ext-port ext-addr remote lease desc owner cookie; do
	usage "missing value after \"$kw\"" "${ADD[@]}" $kw
done
usage 'invalid ext-port "0" (expected an integer from 1 to 65535)' "${ADD[@]}" ext-port 0
usage 'invalid ext-port "65536"' "${ADD[@]}" ext-port 65536
usage 'invalid ext-port "http"' "${ADD[@]}" ext-port http
usage 'invalid ext-addr "203.0.113"' "${ADD[@]}" ext-addr 203.0.113
usage 'invalid ext-addr "auto"' "${ADD[@]}" ext-addr auto
usage 'invalid remote "198.51.100.0/24"' "${ADD[@]}" remote 198.51.100.0/24
usage 'invalid lease "604801" (expected an integer from 0 to 604800)' "${ADD[@]}" lease 604801
for n in -1 1h 1.5 "" 4294967296; do
	usage "invalid lease \"$n\"" "${ADD[@]}" lease "$n"
done
usage "invalid desc: 128 bytes long (at most 127)" "${ADD[@]}" desc "$(printf '%0128d' 0)"
# 64 two-byte characters: 128 bytes
usage "invalid desc: 128 bytes long (at most 127)" "${ADD[@]}" desc "$(printf '\u00e9%.0s' {1..64})"
usage "invalid desc: control character U+0009 (at byte 4)" "${ADD[@]}" desc "$(printf 'web\tserver')"
usage "invalid desc: control character U+000A (at byte 1)" "${ADD[@]}" desc "$(printf '\nx')"
usage "invalid desc: control character U+001B (at byte 2)" "${ADD[@]}" desc "$(printf 'x\033[2J')"
usage "invalid desc: control character U+007F (at byte 1)" "${ADD[@]}" desc "$(printf '\177')"
usage "invalid desc: control character U+009B (at byte 2)" "${ADD[@]}" desc "$(printf 'x\302\233')"
usage "invalid desc: not UTF-8 (at byte 2)" "${ADD[@]}" desc "$(printf 'x\377')"
usage "invalid desc: not UTF-8 (at byte 2)" "${ADD[@]}" desc "$(printf 'x\303')"
usage "invalid desc: not UTF-8 (at byte 1)" "${ADD[@]}" desc "$(printf '\300\257')"
usage "invalid desc: not UTF-8 (at byte 1)" "${ADD[@]}" desc "$(printf '\355\240\200')"
usage "invalid desc: not UTF-8 (at byte 1)" "${ADD[@]}" desc "$(printf '\364\220\200\200')"
# The bad text itself is not echoed.
run "$NATCTL" "${ADD[@]}" desc "$(printf 'x\033]0;owned\007')"
if [[ $rc == 2 ]] && ! grep -q owned "$tmp/err"; then
	ok
else
	ko "a bad desc was echoed: $(cat "$tmp/err")"
fi

# map del
usage "map del: missing protocol (udp or tcp)" map del
usage "map del: missing protocol (udp or tcp)" map del 80
usage 'map del: unknown protocol "icmp"' map del icmp ext-port 7
usage "map del: missing ext-port PORT" map del udp
usage "map del: missing ext-port PORT" map del tcp ext-addr 203.0.113.1 remote 198.51.100.1
usage 'map del: unknown keyword "192.168.1.2:5000"' map del udp 192.168.1.2:5000
usage 'map del: unknown keyword "lease" (expected ext-port, ext-addr or remote)' map del udp ext-port 80 lease 5
usage 'map del: unknown keyword "desc"' map del udp ext-port 80 desc x
usage "map del: ext-port given twice" map del udp ext-port 80 ext-port 81
usage 'invalid ext-port "0"' map del udp ext-port 0
usage 'invalid remote "any"' map del udp ext-port 80 remote any

############################################################################
# up and set

UP=(up ext-if eth0 int-net 192.168.1.0/24)

usage "up: missing ext-if" up
usage "up: missing ext-if" up int-net 10.0.0.0/8
usage "up: missing int-net" up ext-if eth0
usage 'missing value after "int-net"' up ext-if eth0 int-net
usage 'up: unknown keyword "bogus"' "${UP[@]}" bogus 1
usage 'up: ambiguous keyword "port"' "${UP[@]}" port 1024-2000
usage 'up: ambiguous keyword "tcp"' "${UP[@]}" tcp 5
usage "up: ext-if given twice" "${UP[@]}" ext-if eth1
usage "up: ports given twice" "${UP[@]}" ports 1-2 ports 3-4
usage "up: hairpin given twice" "${UP[@]}" hairpin on hairpin off
usage 'set: unknown keyword "down"' set down
usage "set: nothing to change" set

# interface names
usage 'invalid ext-if "a/b"' up ext-if a/b int-net 10.0.0.0/8
usage 'invalid ext-if "0123456789abcdef"' up ext-if 0123456789abcdef int-net 10.0.0.0/8
usage 'invalid ext-if ""' up ext-if "" int-net 10.0.0.0/8
usage 'invalid ext-if "a b"' up ext-if "a b" int-net 10.0.0.0/8

# prefixes
usage "host bits set (the network is 10.0.0.0/8)" up ext-if eth0 int-net 10.0.0.1/8
usage "host bits set (the network is 192.168.1.0/24)" "${UP[@]/192.168.1.0/192.168.1.7}"
usage 'invalid int-net "10.1.0.0/15": host bits set' up ext-if eth0 int-net 10.0.0.0/8,10.1.0.0/15
usage "prefix length must be 0 to 32" up ext-if eth0 int-net 10.0.0.0/33
usage "prefix length must be 0 to 32" up ext-if eth0 int-net 10.0.0.0/-1
usage "prefix length must be 0 to 32" up ext-if eth0 int-net 10.0.0.0/8x
usage "prefix length must be 0 to 32" up ext-if eth0 int-net 10.0.0.0/
usage 'invalid int-net "10.0.0/8"' up ext-if eth0 int-net 10.0.0/8
usage 'invalid int-net "lan.example/24"' up ext-if eth0 int-net lan.example/24
usage 'invalid int-net "::/0"' up ext-if eth0 int-net ::/0
usage "invalid int-net list: empty item" up ext-if eth0 int-net 10.0.0.0/8,
usage "invalid int-net list: empty item" up ext-if eth0 int-net ,10.0.0.0/8
usage "invalid int-net list: empty item" up ext-if eth0 int-net 10.0.0.0/8,,10.1.0.0/16
usage "invalid int-net list: empty item" up ext-if eth0 int-net ""
usage "too many int-net prefixes (at most 16)" up ext-if eth0 int-net \
	"$(echo 10.{1..17}.0.0/16 | tr ' ' ,)"

# external addresses
usage 'invalid ext-addr "203.0.113"' "${UP[@]}" ext-addr 203.0.113
usage 'invalid ext-addr "203.0.113.256"' "${UP[@]}" ext-addr 203.0.113.256
usage 'invalid ext-addr "0x7f.1"' "${UP[@]}" ext-addr 0x7f.1
usage 'invalid ext-addr "localhost"' "${UP[@]}" ext-addr localhost
usage 'invalid ext-addr "auto"' "${UP[@]}" ext-addr 203.0.113.1,auto
usage 'invalid ext-addr " 203.0.113.1"' "${UP[@]}" ext-addr " 203.0.113.1"
usage "invalid ext-addr list: empty item" "${UP[@]}" ext-addr 203.0.113.1,
usage "too many ext-addr addresses (at most 16)" "${UP[@]}" ext-addr \
	"$(echo 203.0.113.{1..17} | tr ' ' ,)"

# numbers
for kw in udp-timeout tcp-timeout tcp-trans-timeout icmp-timeout; do
	usage "invalid $kw \"0\" (expected an integer from 1 to 604800)" "${UP[@]}" $kw 0
	usage "invalid $kw \"604801\"" "${UP[@]}" $kw 604801
done
for n in -1 +5 " 5" "5 " 5x 0x10 1e3 "" 4294967296 99999999999999999999999; do
	usage "invalid udp-timeout \"$n\"" "${UP[@]}" udp-timeout "$n"
done
usage 'missing value after "udp-timeout"' "${UP[@]}" udp-timeout
usage 'invalid max-maps "0"' "${UP[@]}" max-maps 0
usage 'invalid max-maps "16777217" (expected an integer from 1 to 16777216)' "${UP[@]}" max-maps 16777217
usage 'invalid max-sessions "16777217"' "${UP[@]}" max-sessions 16777217
usage 'invalid max-sessions "1k"' "${UP[@]}" max-sessions 1k
usage 'invalid max-maps-per-host "16777217" (expected an integer from 0 to 16777216)' "${UP[@]}" max-maps-per-host 16777217
usage 'invalid max-maps-per-host "-1"' set max-maps-per-host -1
usage 'invalid port-reuse-delay "604801" (expected an integer from 0 to 604800)' set port-reuse-delay 604801
usage 'invalid port-reuse-delay "2m"' "${UP[@]}" port-reuse-delay 2m
usage "set: port-reuse-delay given twice" set port-reuse-delay 1 port-reuse-delay 2
usage 'invalid syn-hold "61" (expected an integer from 0 to 60)' set syn-hold 61
usage 'invalid syn-hold "6s"' "${UP[@]}" syn-hold 6s
M='is not MARK[/MASK] (32-bit numbers) or off'
usage "mark-static: \"on\" $M" set mark-static on
usage "mark-static: \"-1\" $M" set mark-static -1
usage "mark-static: \"0x100000000\" $M" set mark-static 0x100000000
usage "mark-static: \"+5\" $M" set mark-static +5
usage "mark-static: \"\" $M" set mark-static ""
usage "mark-static: \"0x100/\" $M" set mark-static 0x100/
usage "mark-static: \"0x100/0xff00x\" $M" set mark-static 0x100/0xff00x
usage "mark-static: \"1/2/3\" $M" set mark-static 1/2/3
usage "mark-static: \" 1\" $M" set mark-static " 1"
usage "mark-static: a mask of 0 marks nothing (say off)" set mark-static 0/0
usage "mark-static: 0x101 has bits outside the mask 0xff00" set mark-static 0x101/0xff00
usage "set: mark-static given twice" set mark-static 1 mark-static off
usage 'missing value after "mark-static"' set mark-static
usage 'invalid ext-if "abcdefghijklmnop" (not an interface name)' set ext-if abcdefghijklmnop
usage "set: syn-hold given twice" set syn-hold 1 syn-hold 2
usage 'set: ambiguous keyword "max-m"' set max-m 5
usage 'invalid ports "1024"' "${UP[@]}" ports 1024
usage 'invalid ports "1024-"' "${UP[@]}" ports 1024-
usage 'invalid ports "-2000"' "${UP[@]}" ports -2000
usage 'invalid ports "1024-2000-3000"' "${UP[@]}" ports 1024-2000-3000
usage 'invalid ports "a-b"' "${UP[@]}" ports a-b
usage 'invalid ports "0-100": ports are 1 to 65535' "${UP[@]}" ports 0-100
usage 'invalid ports "70000-80000": ports are 1 to 65535' "${UP[@]}" ports 70000-80000
usage 'invalid ports "1-65536"' "${UP[@]}" ports 1-65536
usage 'invalid ports "1-99999999999999999999"' "${UP[@]}" ports 1-99999999999999999999

# behaviours and flags
usage 'mode: unknown value "cone"' "${UP[@]}" mode cone
usage 'mapping: unknown value "eif"' "${UP[@]}" mapping eif
usage 'mapping: ambiguous value "a"' "${UP[@]}" mapping a
usage 'filtering: unknown value "eim"' "${UP[@]}" filtering eim
usage 'proto: unknown value "sctp"' "${UP[@]}" proto sctp mode symmetric
usage "the last proto is not followed by mode, mapping or filtering" "${UP[@]}" proto udp
usage "the last proto is not followed by mode, mapping or filtering" \
	"${UP[@]}" proto udp mode symmetric proto tcp
usage "too many mode, mapping and filtering keywords (at most 32)" "${UP[@]}" \
	$(for i in {1..33}; do echo mapping eim; done)
for kw in port-preserve port-parity hairpin inbound-refresh icmp-unreach; do
	usage "$kw: unknown value \"yes\" (expected off or on)" "${UP[@]}" $kw yes
done
usage 'missing value after "hairpin"' "${UP[@]}" hairpin
usage 'set: unknown keyword "hairpinning"' set hairpinning on

# -n: the arguments are checked before the namespace is entered
usage "host bits set" -n "$NONS" up ext-if eth0 int-net 10.0.0.1/8
usage 'unknown command "nope"' -n "$NONS" nope
usage "invalid desc: control character" -n "$NONS" map add udp 10.0.0.1:1 desc "$(printf '\t')"

# No netlink socket and no setns() before a usage error.
if command -v strace >/dev/null 2>&1 &&
   strace -f -qq -o "$tmp/trace" -e trace=socket,setns true 2>/dev/null; then
	strace -f -qq -o "$tmp/trace" -e trace=socket,setns \
		"$NATCTL" -n "$NONS" up ext-if eth0 int-net 10.0.0.1/8 2>/dev/null
	if grep -qE 'socket\(AF_NETLINK|setns' "$tmp/trace"; then
		ko "a usage error came after netlink I/O: $(cat "$tmp/trace")"
	else
		ok
	fi
else
	skip=$((skip + 1))
fi

############################################################################
# Good arguments reach the kernel: with no napt module, exit 1.

# The family lookup would make the kernel load an installed napt.ko (its
# genl family alias): never here, so skip if one is loaded or installed.
if [[ -d /sys/module/napt ]] || modinfo -n napt >/dev/null 2>&1; then
	echo "napt is loaded or installed here: skipping the module-not-loaded tests"
	skip=$((skip + 1))
else
	NOMOD="napt kernel module is not loaded"
	fails 1 "$NOMOD" show
	fails 1 "$NOMOD" -j show
	fails 1 "$NOMOD" -j -p show
	fails 1 "$NOMOD" --json --pretty stats
	fails 1 "$NOMOD" down
	fails 1 "$NOMOD" stats
	fails 1 "$NOMOD" map
	fails 1 "$NOMOD" -j map list
	fails 1 "$NOMOD" map list icmp static int 192.168.1.2
	fails 1 "$NOMOD" map list int 192.168.1.2 udp dynamic
	fails 1 "$NOMOD" map flush
	fails 1 "$NOMOD" map flush static
	fails 1 "$NOMOD" map list ext-port 8080 static tcp
	fails 1 "$NOMOD" "${ADD[@]}"
	fails 1 "$NOMOD" -j map add tcp 192.168.1.10:80 ext-port 8080 \
		ext-addr 203.0.113.1 remote 198.51.100.9 lease 3600 \
		desc "web server \"main\" \\ été" replace
	fails 1 "$NOMOD" "${ADD[@]}" lease 0 desc ""
	fails 1 "$NOMOD" "${ADD[@]}" desc "$(printf '%0127d' 0)"
	fails 1 "$NOMOD" "${ADD[@]}" desc "$(printf '\u00e9%.0s' {1..63})x"
	fails 1 "$NOMOD" map a t 10.0.0.1:1 ext-p 2 ext-a 203.0.113.1 rem 1.2.3.4 l 5 d x rep
	fails 1 "$NOMOD" map del udp ext-port 5000
	fails 1 "$NOMOD" map del tcp ext-port 8080 ext-addr 203.0.113.1 remote 198.51.100.9
	fails 1 "$NOMOD" monitor
	fails 1 "$NOMOD" -j monitor
	fails 1 "$NOMOD" set max-maps-per-host 0 port-reuse-delay 0
	fails 1 "$NOMOD" "${UP[@]}"
	fails 1 "$NOMOD" up ext-if eth0 int-net 192.168.1.0/24,10.0.0.0/8,0.0.0.0/0 \
		ext-addr 203.0.113.1,203.0.113.2 ports 1024-65535 \
		udp-timeout 300 tcp-timeout 7440 tcp-trans-timeout 240 \
		icmp-timeout 60 mode symmetric proto udp mode full-cone \
		proto tcp mapping adm filtering eif proto all filtering apdf \
		port-preserve on port-parity off hairpin on \
		inbound-refresh off icmp-unreach on \
		max-maps 16777216 max-sessions 1 max-maps-per-host 16777216 \
		port-reuse-delay 604800
	# The kernel refuses what only it can judge.
	fails 1 "$NOMOD" "${UP[@]}" ports 3000-2000
	fails 1 "$NOMOD" set max-maps 10
	fails 1 "$NOMOD" set ext-addr auto
	fails 1 "$NOMOD" set ext-if eth1 int-net 10.0.0.0/8 mode full
	fails 1 "$NOMOD" set hairpin off
	fails 1 "$NOMOD" se udp-t 30 mo sym
	fails 1 "$NOMOD" "${UP[@]}" mode p
fi
fails 1 "cannot open network namespace \"$NONS\"" -n "$NONS" show
fails 1 "cannot open network namespace \"$NONS\"" -j --netns "$NONS" "${UP[@]}"
fails 1 "cannot open network namespace \"$NONS\"" -n "$NONS" -j monitor
fails 1 "cannot open network namespace \"$NONS\"" -n "$NONS" "${ADD[@]}"

############################################################################
# -b FILE and save, without the module

B=$tmp/batch
printf '# a comment\n\n  set bogus 1\nhelp\n' >"$B"
fails 2 "$B:3: set: unknown keyword \"bogus\"" -b "$B"
fails 2 "$B:3: set: unknown keyword \"bogus\"" -batch "$B"
fails 2 "$B:3: set: unknown keyword \"bogus\"" --batch "$B"
# the error of the kernel path gets the location too
printf '\n# up first\nup ext-if lo \\\n  int-net 192.168.1.0/24 # two lines\nhelp\n' >"$B"
fails 1 "$B:3: the napt kernel module is not loaded" -b "$B"
fails 1 "$B:3: cannot open network namespace \"$NONS\"" -n "$NONS" -b "$B"
printf 'map add tcp 192.168.1.2:22 desc "a b" ext-port 0\n' >"$B"
fails 2 "$B:1: invalid ext-port \"0\"" -j -b "$B"
printf 'map add tcp 192.168.1.2:22 desc "a b\n' >"$B"
fails 2 "$B:1: unterminated quote" -b "$B"
printf 'show "a\nb"\n' >"$B"
fails 2 "$B:1: unterminated quote" -b "$B"
printf '\n\nshow\0\n' >"$B"
fails 2 "$B:3: NUL byte in the line" -b "$B"
{ printf '# long\n'; head -c 5000 /dev/zero | tr '\0' x; } >"$B"
fails 2 "$B:2: line too long (at most 4096 bytes)" -b "$B"
fails 1 "cannot open \"$tmp/none\": No such file" -b "$tmp/none"
fails 2 "missing value after \"-b\"" -b
fails 2 "-b given twice" -b "$B" -b "$B"
fails 2 "unexpected argument \"show\" (the commands are in the file)" \
	-b "$B" show
fails 2 "save: unexpected argument \"now\"" save now
fails 2 "save: no JSON output" -j save
fails 1 "module is not loaded" save

# comments and blank lines only: nothing to do
printf '# nothing\n\n   \t\n  # more\n' >"$B"
run "$NATCTL" -b "$B"
if [[ $rc == 0 && ! -s $tmp/out && ! -s $tmp/err ]]; then
	ok
else
	ko "natctl -b (comments only): exit $rc: $(cat "$tmp/err")"
fi

# help runs, then the error on line 2 ends the batch: no second help
printf 'help\nbogus\nhelp\n' >"$B"
run "$NATCTL" -b "$B"
if [[ $rc == 2 && $(grep -c '^Usage: natctl' "$tmp/out") == 1 ]] &&
   [[ $(cat "$tmp/err") == "natctl: $B:2: unknown command \"bogus\""* ]]; then
	ok
else
	ko "natctl -b (stops at line 2): exit $rc: $(cat "$tmp/err")"
fi

# -b - reads stdin, named so in the messages
printf 'help\n\n"set" ext-if\n' | "$NATCTL" -b - >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc == 2 && $(cat "$tmp/err") == 'natctl: stdin:3: missing value after "ext-if"' ]]; then
	ok
else
	ko "natctl -b -: exit $rc: $(cat "$tmp/err")"
fi

############################################################################
# test-print: the reply printers, the requests, the extended acks

if [[ ! -x $TEST_PRINT ]]; then
	echo "$TEST_PRINT: not built, skipping the printer tests"
	skip=$((skip + 1))
else
	printed "napt: up
  ext-if lo ext-addr 203.0.113.1,203.0.113.9
  int-net 192.168.1.0/24,10.0.0.0/8
  ports 1024-65535
  udp  mapping eim filtering eif (full-cone) timeout 300
  tcp  mapping eim filtering apdf (port-restricted-cone) timeout 7440 trans 240
  icmp mapping apdm filtering adf timeout 60
  flags port-preserve hairpin inbound-refresh icmp-unreach
  maps 3/65536 sessions 4/262144
  max-maps-per-host 0 port-reuse-delay 120 syn-hold 6
  mark-static 0x100/0xff00" show-up
	printed '{"running":true,"ext_if":"lo","ext_ifindex":1,"ext_if_waiting":false,"ext_addrs":["203.0.113.1","203.0.113.9"],"ext_from_if":false,"int_nets":["192.168.1.0/24","10.0.0.0/8"],"port_min":1024,"port_max":65535,"udp_timeout":300,"tcp_timeout":7440,"tcp_trans_timeout":240,"icmp_timeout":60,"behaviours":{"udp":{"mapping":"eim","filtering":"eif","mode":"full-cone"},"tcp":{"mapping":"eim","filtering":"apdf","mode":"port-restricted-cone"},"icmp":{"mapping":"apdm","filtering":"adf","mode":null}},"port_preserve":true,"port_parity":false,"hairpin":true,"inbound_refresh":true,"icmp_unreach":true,"maps":3,"max_maps":65536,"sessions":4,"max_sessions":262144,"max_maps_per_host":0,"port_reuse_delay":120,"syn_hold":6,"mark_static":256,"mark_static_mask":65280}' -j show-up
	printed "napt: up
  ext-if lo ext-addr 203.0.113.1 (from interface)
  udp  mapping unknown filtering unknown
  tcp  mapping unknown filtering unknown
  icmp mapping unknown filtering unknown
  maps - sessions -
  max-maps-per-host 500" show-auto
	printed '{"running":true,"ext_if":"lo","ext_ifindex":1,"ext_if_waiting":false,"ext_addrs":["203.0.113.1"],"ext_from_if":true,"behaviours":{"udp":{"mapping":null,"filtering":null,"mode":null},"tcp":{"mapping":null,"filtering":null,"mode":null},"icmp":{"mapping":null,"filtering":null,"mode":null}},"max_maps_per_host":500}' -j show-auto
	printed "napt: up
  ext-if ppp0 (waiting for it) ext-addr none (from interface)
  int-net 192.168.1.0/24
  udp  mapping unknown filtering unknown
  tcp  mapping unknown filtering unknown
  icmp mapping unknown filtering unknown
  maps - sessions -
  mark-static off" show-waiting
	printed '{"running":true,"ext_if":"ppp0","ext_ifindex":0,"ext_if_waiting":true,"ext_addrs":[],"ext_from_if":true,"int_nets":["192.168.1.0/24"],"behaviours":{"udp":{"mapping":null,"filtering":null,"mode":null},"tcp":{"mapping":null,"filtering":null,"mode":null},"icmp":{"mapping":null,"filtering":null,"mode":null}},"mark_static":0,"mark_static_mask":0}' -j show-waiting
	# by name: the name, though no device has it
	printed '# napt configuration, written by natctl save
up ext-if ppp0 int-net 192.168.1.0/24' save-waiting
	printed "napt: down" show-down
	printed '{"running":false}' -j show-down
	printed 'udp 192.168.1.2:5000 -> 203.0.113.1:5000 dynamic eim expires 299s sessions 1
tcp 192.168.1.3:40000 -> 203.0.113.1:1025 dynamic apdm expires 7439s sessions 1 remote 198.51.100.7:443
icmp 192.168.1.4:77 -> 203.0.113.1:77 dynamic adm expires 0s sessions 0 remote 198.51.100.8
tcp 192.168.1.10:80 -> 203.0.113.1:8080 static eim expires 3590s lease 3600 sessions 2 remote 198.51.100.9 owner upnp desc "web server"
udp 192.168.1.11:5060 -> 203.0.113.9:5060 static eim sessions 0 owner admin desc "say \"h\\i\" été"
udp 192.168.1.12:1 -> 203.0.113.9:2 static eim sessions 0 owner owner-9 desc "a\x09b\x1b[2J\xc2\x9b\xff\xc3"
tcp 192.168.1.13:22 -> 203.0.113.1:2222 static eim sessions 0
udp 192.168.1.14:4500 -> 203.0.113.1:4500 static eim expires 7190s lease 7200 sessions 0 owner natpmp
tcp 192.168.1.14:443 -> 203.0.113.1:8443 static eim expires 100s lease 120 sessions 0 remote 198.51.100.10 owner pcp' maps
	printed '[{"proto":"udp","int_addr":"192.168.1.2","int_port":5000,"ext_addr":"203.0.113.1","ext_port":5000,"type":"dynamic","mapping":"eim","expires":299,"sessions":1},{"proto":"tcp","int_addr":"192.168.1.3","int_port":40000,"ext_addr":"203.0.113.1","ext_port":1025,"type":"dynamic","mapping":"apdm","expires":7439,"sessions":1,"rem_addr":"198.51.100.7","rem_port":443},{"proto":"icmp","int_addr":"192.168.1.4","int_port":77,"ext_addr":"203.0.113.1","ext_port":77,"type":"dynamic","mapping":"adm","expires":0,"sessions":0,"rem_addr":"198.51.100.8"},{"proto":"tcp","int_addr":"192.168.1.10","int_port":80,"ext_addr":"203.0.113.1","ext_port":8080,"type":"static","mapping":"eim","expires":3590,"lease":3600,"sessions":2,"rem_addr":"198.51.100.9","owner":"upnp","cookie":"0a1b","desc":"web server"},{"proto":"udp","int_addr":"192.168.1.11","int_port":5060,"ext_addr":"203.0.113.9","ext_port":5060,"type":"static","mapping":"eim","expires":null,"lease":null,"sessions":0,"owner":"admin","cookie":null,"desc":"say \"h\\i\" été"},{"proto":"udp","int_addr":"192.168.1.12","int_port":1,"ext_addr":"203.0.113.9","ext_port":2,"type":"static","mapping":"eim","expires":null,"lease":null,"sessions":0,"owner":"owner-9","cookie":"0001020304050607f8f9fafbfcfdfeff","desc":"a\tb\u001b[2J\u009b\ufffd\ufffd"},{"proto":"tcp","int_addr":"192.168.1.13","int_port":22,"ext_addr":"203.0.113.1","ext_port":2222,"type":"static","mapping":"eim","expires":null,"lease":null,"sessions":0,"owner":null,"cookie":null},{"proto":"udp","int_addr":"192.168.1.14","int_port":4500,"ext_addr":"203.0.113.1","ext_port":4500,"type":"static","mapping":"eim","expires":7190,"lease":7200,"sessions":0,"owner":"natpmp","cookie":null},{"proto":"tcp","int_addr":"192.168.1.14","int_port":443,"ext_addr":"203.0.113.1","ext_port":8443,"type":"static","mapping":"eim","expires":100,"lease":120,"sessions":0,"rem_addr":"198.51.100.10","owner":"pcp","cookie":"9c1f22000000000000000001"}]' -j maps
	# map add prints what map list would: one line, or one object.
	printed "udp 192.168.1.2:5000 -> 203.0.113.1:1024 static eim sessions 0 owner admin" map-add
	printed '{"proto":"udp","int_addr":"192.168.1.2","int_port":5000,"ext_addr":"203.0.113.1","ext_port":1024,"type":"static","mapping":"eim","expires":null,"lease":null,"sessions":0,"owner":"admin","cookie":null}' -j map-add
	printed "2026-11-27T15:43:12.345Z created udp 192.168.1.2:5000 -> 203.0.113.1:5000 dynamic
2026-11-27T15:48:12.345Z removed udp 192.168.1.2:5000 -> 203.0.113.1:5000 dynamic reason expired
2026-11-27T15:48:13.344Z refused udp 192.168.1.2:5000 reason no-port
1970-01-01T00:00:00.000Z removed udp 192.168.1.2:5000 -> 203.0.113.1:8080 static reason deleted
2026-11-27T15:43:12.345Z event-9 udp 192.168.1.2:5000 -> 203.0.113.1:1 static reason reason-42" events
	printed '{"time":"2026-11-27T15:43:12.345Z","time_ns":1795794192345678901,"event":"created","proto":"udp","int_addr":"192.168.1.2","int_port":5000,"ext_addr":"203.0.113.1","ext_port":5000,"type":"dynamic","reason":null}
{"time":"2026-11-27T15:48:12.345Z","time_ns":1795794492345678901,"event":"removed","proto":"udp","int_addr":"192.168.1.2","int_port":5000,"ext_addr":"203.0.113.1","ext_port":5000,"type":"dynamic","reason":"expired"}
{"time":"2026-11-27T15:48:13.344Z","time_ns":1795794493344678901,"event":"refused","proto":"udp","int_addr":"192.168.1.2","int_port":5000,"ext_addr":null,"ext_port":null,"type":"dynamic","reason":"no-port"}
{"time":"1970-01-01T00:00:00.000Z","time_ns":0,"event":"removed","proto":"udp","int_addr":"192.168.1.2","int_port":5000,"ext_addr":"203.0.113.1","ext_port":8080,"type":"static","reason":"deleted"}
{"time":"2026-11-27T15:43:12.345Z","time_ns":1795794192345678901,"event":"event-9","proto":"udp","int_addr":"192.168.1.2","int_port":5000,"ext_addr":"203.0.113.1","ext_port":1,"type":"static","reason":"reason-42"}' -j events
	# JSON Lines: every line is one JSON value (checked by python).
	if command -v python3 >/dev/null 2>&1; then
		run "$TEST_PRINT" -j events
		if python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    ev = json.loads(line)
    assert isinstance(ev, dict) and "time_ns" in ev, line
    n += 1
assert n == 5, n
' "$tmp/out" 2>"$tmp/err2"; then
			ok
		else
			ko "test-print -j events is not JSON Lines: $(cat "$tmp/err2")"
		fi
	else
		skip=$((skip + 1))
	fi
	printed "out_pkts          10
drop_filtered     18446744073709551615
pass_local        2
drop_host_limit   3
hairpin_pkts      4
icmp_err_out      5
icmp_err_in       6
icmp_unreach_sent 7
drop_icmp_err     8
syn_held          9
syn_hold_matched  10
syn_hold_unreach  11
syn_hold_full     12
stat_99           7" stats
	printed '{"out_pkts":10,"drop_filtered":18446744073709551615,"pass_local":2,"drop_host_limit":3,"hairpin_pkts":4,"icmp_err_out":5,"icmp_err_in":6,"icmp_unreach_sent":7,"drop_icmp_err":8,"syn_held":9,"syn_hold_matched":10,"syn_hold_unreach":11,"syn_hold_full":12,"stat_99":7}' -j stats
	printed '{"s":"q\"b\\n\nt\tc\u0001","empty":[],"o":{"big":18446744073709551615,"f":false}}' -j escape

	# Pretty printing is what python's json module makes of it (which
	# writes \uXXXX for every non-ASCII character: so does ascii()).
	if command -v python3 >/dev/null 2>&1; then
		ascii='import sys
sys.stdout.write("".join(c if ord(c) < 128 else "\\u%04x" % ord(c)
                         for c in sys.stdin.read()))'
		for c in show-up show-auto show-down maps map-add stats escape; do
			"$TEST_PRINT" -j "$c" | python3 -m json.tool --indent 4 >"$tmp/want" 2>&1
			"$TEST_PRINT" -j -p "$c" | python3 -c "$ascii" >"$tmp/got" 2>&1
			same "test-print -j -p $c" "$tmp/want" "$tmp/got"
		done
	else
		skip=$((skip + 1))
	fi

	run "$TEST_PRINT" show-bad
	if [[ $rc == 1 && ! -s $tmp/out ]] &&
	   [[ $(cat "$tmp/err") == "natctl: malformed attribute 1 in the kernel's reply" ]]; then
		ok
	else
		ko "test-print show-bad: exit $rc: $(cat "$tmp/err" "$tmp/out")"
	fi

	printed "ext_ifname [5] eth0
int_nets [type 0] addr 192.168.1.0 len 24
int_nets [type 0] addr 10.0.0.0 len 8
ext_addrs [type 1] 203.0.113.1
ext_addrs [type 1] 203.0.113.2
port_min 1024
port_max 2000
timeout_udp 30
timeout_tcp_est 7000
timeout_tcp_trans 100
timeout_icmp 10
max_maps 100
max_sessions 400
behaviours [type 0] proto 0 mapping 3 filtering 3
behaviours [type 0] proto 17 mapping 1 filtering 1
behaviours [type 0] proto 17 mapping 2
behaviours [type 0] proto 6 filtering 2
behaviours [type 0] proto 1 mapping 1 filtering 2
behaviours [type 0] proto 0 mapping 1
flags value 0x2 selector 0x6" request up ext-if eth0 \
		int-net 192.168.1.0/24,10.0.0.0/8 \
		ext-addr 203.0.113.1,203.0.113.2 ports 1024-2000 \
		udp-timeout 30 tcp-timeout 7000 tcp-trans-timeout 100 \
		icmp-timeout 10 mode symmetric proto udp mode full-cone \
		mapping adm proto tcp filtering adf proto icmp \
		mode restricted-cone proto all mapping eim hairpin off \
		port-parity on max-maps 100 max-sessions 400
	printed "ext_addrs empty
flags value 0 selector 0x10" request set ext-addr auto icmp-unreach off
	printed "int_nets [type 0] addr 0.0.0.0 len 0
port_min 3000
port_max 2000" request set int-net 0.0.0.0/0 ports 3000-2000
	printed "flags value 0x1f selector 0x1f" request set port-preserve on \
		port-parity on hairpin on inbound-refresh on icmp-unreach on
	printed "max_maps_per_host 0
port_reuse_delay 0" request set max-maps-per-host 0 port-reuse-delay 0
	printed "mark_static 256
mark_static_mask 65280" request set mark-static 0x100/0xff00
	printed "mark_static 7
mark_static_mask 4294967295" request set mark-static 7
	printed "mark_static 0
mark_static_mask 0" request set mark-static off
	printed "mark_static 2147483648
mark_static_mask 4294967295" request set mark-static 0x80000000/0xffffffff
	printed "ext_ifname [5] ppp0" request set ext-if ppp0
	printed "ext_ifname [16] abcdefghijklmno" request set ext-if abcdefghijklmno
	printed "syn_hold 0" request set syn-hold 0
	printed "syn_hold 60" request set syn-hold 60
	printed "max_maps_per_host 16777216
port_reuse_delay 604800" request set port-reuse-delay 604800 \
		max-maps-per-host 16777216

	# map requests: NAPT_A_MAP, ports in network byte order
	# No filter: no NAPT_A_MAP at all.
	run "$TEST_PRINT" request map-list
	if [[ $rc == 0 && ! -s $tmp/out && ! -s $tmp/err ]]; then
		ok
	else
		ko "test-print request map-list: exit $rc: $(cat "$tmp/err" "$tmp/out")"
	fi
	printed "proto 1
type 1
int_addr 192.168.1.2
ext_port 8080 (be16 0x901f)" request map-list ext-port 8080 int 192.168.1.2 dynamic icmp
	printed "proto 6
int_addr 192.168.1.10
int_port 80 (be16 0x5000)
ext_addr 203.0.113.1
ext_port 8080 (be16 0x901f)
rem_addr 198.51.100.9
lease 3600
desc [21] web \"server\" \\ été
replace [0]" request map-add tcp 192.168.1.10:80 \
		replace desc 'web "server" \ été' lease 3600 \
		remote 198.51.100.9 ext-addr 203.0.113.1 ext-port 8080
	printed "proto 17
int_addr 10.0.0.1
int_port 65535 (be16 0xffff)" request map-add u 10.0.0.1:65535
	printed "proto 17
int_addr 10.0.0.1
int_port 1 (be16 0x0100)
replace [0]
owner [1] 3
cookie [16] 00010203a0b0c0d0e0f0ffaabbccddee" request map-add udp 10.0.0.1:1 \
		cookie 00010203A0B0C0D0E0F0ffaabbccddee owner pcp replace
	printed "proto 6
int_addr 10.0.0.1
int_port 1 (be16 0x0100)
owner [1] 0
cookie [1] 7f" request map-add tcp 10.0.0.1:1 owner admin cookie 7f
	printed "proto 6
int_addr 10.0.0.1
int_port 1 (be16 0x0100)
owner [1] 1" request map-add tcp 10.0.0.1:1 owner upnp
	printed "proto 6
int_addr 10.0.0.1
int_port 1 (be16 0x0100)
owner [1] 2" request map-add tcp 10.0.0.1:1 owner nat
	printed "proto 17
int_addr 10.0.0.1
int_port 1 (be16 0x0100)
lease 0
desc [1] " request map-add udp 10.0.0.1:1 lease 0 desc ""
	printed "proto 17
int_addr 10.0.0.1
int_port 1 (be16 0x0100)
desc [128] $(printf '%0127d' 0)" request map-add udp 10.0.0.1:1 \
		desc "$(printf '%0127d' 0)"
	printed "proto 6
ext_port 8080 (be16 0x901f)" request map-del tcp ext-port 8080
	printed "proto 17
ext_addr 203.0.113.1
ext_port 1 (be16 0x0100)
rem_addr 198.51.100.9" request map-del udp remote 198.51.100.9 \
		ext-addr 203.0.113.1 ext-port 1

	# The kernel's own extended ack, and a real multi-part dump.
	run "$TEST_PRINT" kernel
	if [[ $rc == 0 && $(cat "$tmp/out") == $'offset: ok\ndump: ok\ngroup: ok\nno group: ok' ]] &&
	   [[ $(cat "$tmp/err") == "natctl: Invalid argument: "?* ]]; then
		ok
	else
		ko "test-print kernel: exit $rc: $(cat "$tmp/err" "$tmp/out")"
	fi

	# The monitor loop (on the controller's group): SIGINT and SIGTERM
	# end it with status 0, once its handlers are in (SigCgt: it has
	# joined the group). Until the exec the child is a copy of this
	# shell, with handlers too.
	for sig in INT TERM; do
		"$TEST_PRINT" monitor >"$tmp/out" 2>"$tmp/err" </dev/null &
		pid=$!
		for _ in {1..100}; do
			mask=$(awk '$1 == "Name:" && $2 != "test-print" { exit }
				    $1 == "SigCgt:" { print $2 }' \
				   /proc/$pid/status 2>/dev/null)
			[[ $mask ]] && (( (0x$mask & 0x4002) == 0x4002 )) && break
			sleep 0.05
		done
		kill -$sig $pid
		wait $pid
		rc=$?
		if [[ $rc == 0 && $(cat "$tmp/out") == "monitor: 0" && ! -s $tmp/err ]]; then
			ok
		else
			ko "test-print monitor, SIG$sig: exit $rc: $(cat "$tmp/err" "$tmp/out")"
		fi
	done
fi

############################################################################
# test-print: the batch splitter, the save printer

if [[ -x $TEST_PRINT ]]; then
	B=$tmp/batch
	printf '%s\n' 'echo a  b	"c d" "" x"y z"w \"q\\ # comment' '' \
		'   # only a comment' 'echo "#not" a#b #c' \
		'echo cont \' '  inued "q \" \\ x" \' '' 'echo "é"' >"$B"
	printed '6: [a] [b] [c d] [] [xy zw] ["q\]
2: [#not] [a#b]
3: [cont] [inued] [q " \ x]
1: [é]' batch "$B"

	printf 'echo 1\n\necho 2 \\\n 3\nfail\necho no\n' >"$B"
	run "$TEST_PRINT" batch "$B"
	if [[ $rc == 1 && $(cat "$tmp/out") == $'1: [1]\n2: [2] [3]' &&
	      $(cat "$tmp/err") == "natctl: $B:5: it failed" ]]; then
		ok
	else
		ko "test-print batch (fail on line 5): exit $rc: $(cat "$tmp/err" "$tmp/out")"
	fi

	# the line of a continued command is its first
	printf 'echo 1\nusage \\\n x\n' >"$B"
	run "$TEST_PRINT" batch "$B"
	if [[ $rc == 2 && $(cat "$tmp/err") == "natctl: $B:2: usage: unexpected argument \"x\"" ]]; then
		ok
	else
		ko "test-print batch (usage error): exit $rc: $(cat "$tmp/err" "$tmp/out")"
	fi

	# a little fuzz: random bytes never crash it (status 0, 1 or 2)
	for i in {1..40}; do
		head -c $((RANDOM % 3000)) /dev/urandom |
			tr '\000-\377' 'ee"\\ \n#a\000cho\t\\"e#o ' >"$B"
		run "$TEST_PRINT" batch "$B"
		if (( rc > 2 )); then
			ko "test-print batch (fuzz): exit $rc: $(head -c 500 "$tmp/err")"
			cp "$B" "$tmp/../natctl-fuzz-$i" 2>/dev/null
			break
		fi
	done
	ok

	printed '# napt configuration, written by natctl save
up ext-if lo int-net 192.168.1.0/24,10.0.0.0/8 ext-addr 203.0.113.1,203.0.113.9 ports 1024-65535 udp-timeout 300 tcp-timeout 7440 tcp-trans-timeout 240 icmp-timeout 60 max-maps-per-host 0 port-reuse-delay 120 syn-hold 6 max-maps 65536 max-sessions 262144 proto udp mapping eim filtering eif proto tcp mapping eim filtering apdf proto icmp mapping apdm filtering adf port-preserve on port-parity off hairpin on inbound-refresh on icmp-unreach on mark-static 0x100/0xff00
map add udp 192.168.1.11:5060 ext-port 5060 ext-addr 203.0.113.9 desc "say \"h\\i\" été"
map add tcp 192.168.1.13:22 ext-port 2222 ext-addr 203.0.113.1
map add tcp 192.168.1.15:22 ext-port 2222 ext-addr 203.0.113.1 remote 198.51.100.11 lease 1234 cookie 0a1b desc "ssh \"#1\" c:\\x"
map add udp 192.168.1.15:53 ext-port 53 ext-addr 203.0.113.1 lease 1' save
	printed '# napt configuration, written by natctl save
up ext-if lo int-net 192.168.1.0/24 proto udp mapping eim filtering apdf proto tcp mapping eim filtering apdf proto icmp mapping eim filtering apdf' save-auto
	printed '# napt configuration, written by natctl save
# napt is down: nothing to set up
running: 0' save-down

	# What save wrote, read back as natctl -b would: the same settings.
	"$TEST_PRINT" save >"$B"
	run "$TEST_PRINT" batch "$B"
	if [[ $rc == 0 && ! -s $tmp/err ]] &&
	   grep -qx 'flags value 0x1d selector 0x1f' "$tmp/out" &&
	   grep -qx 'desc \[16\] say "h\\i" été' "$tmp/out" &&
	   grep -qx 'desc \[14\] ssh "#1" c:\\x' "$tmp/out" &&
	   grep -qx 'cookie \[2\] 0a1b' "$tmp/out" &&
	   [[ $(grep -c '^proto ' "$tmp/out") == 4 &&
	      $(grep -c '^behaviours ' "$tmp/out") == 6 ]]; then
		ok
	else
		ko "test-print batch of save: exit $rc: $(cat "$tmp/err" "$tmp/out")"
	fi
fi

[[ $skip == 0 ]] || echo "$skip skipped"
echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
