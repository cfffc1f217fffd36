#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static mappings (port forwarding): natctl map add / del / flush, in the
# topology of napt_topo.sh with a second address on INET:
#
#   LAN1 192.168.1.2 --+                                 +- 203.0.113.2 -+
#                      +-- br0 [GW] wan0 203.0.113.1 ----+  [INET]       |
#   LAN2 192.168.1.3 --+                                 +- 203.0.113.3 -+
#
# napt_beh_srv.py answers with the source it saw (and, TCP, the line it
# got): on INET at 203.0.113.2:5000, in LAN1 on ports 8000, 9000, 9200.
#
# - map add tcp/udp with ext-port: the inside endpoint's own traffic leaves
#   from the forwarded port; INET reaches the inside server through
#   203.0.113.1:P from any remote, the default APDF filtering
#   notwithstanding; map list -j shows them static, with lease, desc,
#   owner (admin when not given) and cookie (hex);
# - map add without ext-port prints the port chosen: the inside port when
#   free, another one when not;
# - refused with exit 1 and the kernel's reason: an external port already
#   forwarded (EEXIST), one a socket of the gateway holds or a dynamic
#   mapping holds (EADDRINUSE), an inside address that is the gateway's
#   own or the LAN broadcast; replace with the same inside endpoint
#   renews lease, desc, owner and cookie instead;
# - remote ADDR: only that remote gets in;
# - a lease ends: the kernel removes the mapping by itself;
# - map del removes (exit 1 for one that does not exist);
# - the external address changes (none for a while, then another): the
#   forwards move to it with their lease and description, work there both
#   ways, and map del without an address finds them;
# - map flush dynamic leaves static mappings, map flush static removes them.

# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/napt_topo.sh"
source "$(dirname "$0")/napt_beh.sh"

# map_line PROTO EXT_PORT: the mapping on 203.0.113.1:EXT_PORT as
# "PROTO INT EXT TYPE MAPPING REMOTE expires=N lease=N sessions=N
# owner=OWNER cookie=HEX desc=TEXT"
map_line() {
	napt_maps_json "$1" | /usr/bin/python3 "$SELF/napt_beh_json.py" maps |
		awk -v e="$GW_EXT:$2" '$3 == e'
}
no_map() { [[ -z $(map_line "$1" "$2") ]]; }	# PROTO EXT_PORT
count() { natctl -n "$GW" map list "$@" | wc -l; }	# [FILTER...]
# add_fails ERRNO_TEXT REASON ARGS...: natctl map add ARGS exits 1 with
# both texts on standard error
add_fails() {
	local errtext=$1 reason=$2 err rc
	shift 2
	err=$(natctl -n "$GW" map add "$@" 2>&1 >/dev/null)
	rc=$?
	[[ $rc == 1 && $err == *"$errtext"* && $err == *"$reason"* ]] && return 0
	echo "map add $*: exit $rc, '$err'"
	return 1
}

napt_topo_setup max-maps 1024	# the sweeper visits every bucket each second
ip -n "$INET" addr add $INET_ADDR2/24 dev eth0
srv_start "$INET" inet $INET_ADDR:5000

##############################################################################
# Forwarded ports

out=$(natctl -n "$GW" map add tcp 192.168.1.2:8000 ext-port 18000 lease 600 desc web owner upnp cookie 0A1b)
check_err $? "map add tcp ... ext-port 18000 failed"
[[ $out == "tcp 192.168.1.2:8000 -> $GW_EXT:18000 static eim expires "*"s lease 600 sessions 0 owner upnp desc \"web\"" ]]
check_err $? "map add printed '$out'"
natctl -n "$GW" map add udp 192.168.1.2:9000 ext-port 19000 desc game >/dev/null
check_err $? "map add udp ... ext-port 19000 failed"
read -r proto int ext type mapping rem expires lease _ owner cookie desc <<<"$(map_line tcp 18000)"
[[ "$proto $int $ext $type $mapping $rem $lease $owner $cookie $desc" == "tcp 192.168.1.2:8000 $GW_EXT:18000 static eim - lease=600 owner=upnp cookie=0a1b desc=web" ]] ||
	check_err 1 "tcp 18000 listed as '$(map_line tcp 18000)'"
expires=${expires#expires=}
((expires >= 590 && expires <= 600))
check_err $? "tcp 18000: expires $expires, expected 590..600"
line=$(map_line udp 19000)
[[ $line == "udp 192.168.1.2:9000 $GW_EXT:19000 static eim - expires=null lease=null sessions=0 owner=admin cookie=null desc=game" ]]
check_err $? "udp 19000 listed as '$line'"
log_test "map add: listed by map list -j as static, with lease, desc, owner, cookie"

# The inside endpoints talk first: they leave from the forwarded ports,
# and no dynamic mapping is made for them.
out=$(beh_udp "$LAN1" -s 9000 ask:$INET_ADDR:5000)
[[ $out == "$INET_ADDR:5000 $GW_EXT:19000" ]]
check_err $? "UDP from 192.168.1.2:9000: INET answered '$out'"
out=$(beh_tcp "$LAN1" -s 8000 ask:$INET_ADDR:5000:out)
[[ $out == "$INET_ADDR:5000 $GW_EXT:18000 out" ]]
check_err $? "TCP from 192.168.1.2:8000: INET answered '$out'"
[[ $(count dynamic) == 0 ]] ||
	check_err 1 "dynamic mappings made: $(natctl -n "$GW" map list dynamic)"
log_test "the inside endpoint's own traffic leaves from the forwarded port"

# INET in: from 203.0.113.3, which nothing inside ever sent to (APDF).
srv_start "$LAN1" lan1 0.0.0.0:8000 0.0.0.0:9000 0.0.0.0:9200
for src in $INET_ADDR2 $INET_ADDR; do
	out=$(beh_udp "$INET" -a $src ask:$GW_EXT:19000)
	[[ $out =~ ^$GW_EXT:19000\ $src:[0-9]+$ ]]
	check_err $? "UDP from $src to 19000: '$out'"
	out=$(beh_tcp "$INET" -a $src ask:$GW_EXT:18000:in)
	[[ $out =~ ^$GW_EXT:18000\ $src:[0-9]+\ in$ ]]
	check_err $? "TCP from $src to 18000: '$out'"
done
log_test "INET reaches the inside servers from any remote (APDF in force)"

##############################################################################
# The port chosen without ext-port

out=$(natctl -n "$GW" map add udp 192.168.1.2:47000)
check_err $? "map add udp 192.168.1.2:47000 failed"
[[ $out == "udp 192.168.1.2:47000 -> $GW_EXT:47000 static eim sessions 0 owner admin" ]]
check_err $? "map add printed '$out', expected port 47000"
out=$(natctl -n "$GW" map add udp 192.168.1.3:47000)
check_err $? "map add udp 192.168.1.3:47000 failed"
port=$(sed -n "s/^udp 192\.168\.1\.3:47000 -> ${GW_EXT//./\\.}:\([0-9]*\) static .*/\1/p" <<<"$out")
[[ -n $port && $port != 47000 && $port -ge 1024 ]]
check_err $? "map add printed '$out', expected a port other than 47000"
[[ $(map_line udp "$port") == "udp 192.168.1.3:47000 $GW_EXT:$port static eim - expires=null lease=null sessions=0 owner=admin cookie=null desc=-" ]] ||
	check_err 1 "port $port listed as '$(map_line udp "$port")'"
log_test "map add without ext-port: inside port if free ($port when not)"

##############################################################################
# Conflicts

n=$(count)
r=$(add_fails "File exists" "already forwarded" tcp 192.168.1.3:8001 ext-port 18000)
check_err $? "$r"
srv_start "$GW" gw $GW_EXT:18500
r=$(add_fails "Address already in use" "a socket of the gateway" tcp 192.168.1.2:8500 ext-port 18500)
check_err $? "$r"
r=$(add_fails "Address already in use" "a socket of the gateway" udp 192.168.1.2:8500 ext-port 18500)
check_err $? "$r"
out=$(beh_udp "$LAN2" -s 46000 ask:$INET_ADDR:5000)
[[ $out == "$INET_ADDR:5000 $GW_EXT:46000" ]]
check_err $? "LAN2's dynamic mapping: '$out'"
r=$(add_fails "Address already in use" "a dynamic mapping" udp 192.168.1.2:9100 ext-port 46000)
check_err $? "$r"
[[ $(count) == $((n + 1)) ]] ||
	check_err 1 "mappings: $(natctl -n "$GW" map list)"
log_test "conflicts refused: forwarded port, gateway socket, dynamic mapping"

# The gateway's own LAN address (a service it offers only there) and the
# LAN's broadcast address are no inside endpoints.
n=$(count)
r=$(add_fails "Cannot assign requested address" "the gateway's own" tcp 192.168.1.1:22 ext-port 2222)
check_err $? "$r"
r=$(add_fails "Invalid argument" "not a unicast host" udp 192.168.1.255:9 ext-port 2223)
check_err $? "$r"
[[ $(count) == "$n" ]] ||
	check_err 1 "mappings: $(natctl -n "$GW" map list)"
log_test "refused: the gateway's own address, the LAN broadcast"

out=$(natctl -n "$GW" map add tcp 192.168.1.2:8000 ext-port 18000 lease 900 desc web2 owner pcp cookie 00112233445566778899aabbccddeeff replace)
check_err $? "map add ... replace failed"
read -r proto int ext type mapping rem expires lease _ owner cookie desc <<<"$(map_line tcp 18000)"
[[ "$proto $int $ext $type $mapping $rem $lease $owner $cookie $desc" == "tcp 192.168.1.2:8000 $GW_EXT:18000 static eim - lease=900 owner=pcp cookie=00112233445566778899aabbccddeeff desc=web2" ]] ||
	check_err 1 "after replace: '$(map_line tcp 18000)'"
expires=${expires#expires=}
((expires >= 890 && expires <= 900))
check_err $? "after replace: expires $expires, expected 890..900"
r=$(add_fails "File exists" "already forwarded" tcp 192.168.1.3:8001 ext-port 18000 replace owner pcp cookie 01)
check_err $? "replace by another inside endpoint: $r"
line=$(map_line tcp 18000)
[[ $line == *" owner=pcp cookie=00112233445566778899aabbccddeeff desc=web2" ]]
check_err $? "a refused replace changed the mapping: '$line'"
# A renewal is of everything: what is not given is gone.
natctl -n "$GW" map add tcp 192.168.1.2:8000 ext-port 18000 lease 900 desc web3 cookie ff replace >/dev/null
check_err $? "map add ... cookie ff replace failed"
line=$(map_line tcp 18000)
[[ $line == *" lease=900 sessions="*" owner=admin cookie=ff desc=web3" ]]
check_err $? "after the second replace: '$line'"
[[ $(count static) == 4 ]] ||
	check_err 1 "static mappings: $(natctl -n "$GW" map list static)"
log_test "replace with the same inside endpoint renews lease, desc, owner, cookie"

##############################################################################
# One remote only

natctl -n "$GW" map add udp 192.168.1.2:9200 ext-port 19200 remote $INET_ADDR >/dev/null
check_err $? "map add ... remote $INET_ADDR failed"
line=$(map_line udp 19200)
[[ $line == "udp 192.168.1.2:9200 $GW_EXT:19200 static eim $INET_ADDR expires=null lease=null sessions=0 owner=admin cookie=null desc=-" ]]
check_err $? "listed as '$line'"
out=$(beh_udp "$INET" -a $INET_ADDR ask:$GW_EXT:19200)
[[ $out =~ ^$GW_EXT:19200\ $INET_ADDR:[0-9]+$ ]]
check_err $? "from $INET_ADDR: '$out'"
before=$(gw_stat drop_no_mapping)
out=$(beh_udp "$INET" -a $INET_ADDR2 -t 2 ask:$GW_EXT:19200)
[[ $out == timeout ]]
check_err $? "from $INET_ADDR2: '$out'"
stat_is drop_no_mapping $((before + 1)) ||
	check_err 1 "drop_no_mapping went from $before to $(gw_stat drop_no_mapping), expected +1"
log_test "remote ADDR: only that remote gets in"

##############################################################################
# A lease ends: the kernel removes the mapping (no userspace helps)

before=$(gw_stat maps_expired)
natctl -n "$GW" map add udp 192.168.1.2:9300 ext-port 19300 lease 3 >/dev/null
check_err $? "map add ... lease 3 failed"
line=$(map_line udp 19300)
[[ $line =~ ^udp\ 192.168.1.2:9300\ $GW_EXT:19300\ static\ eim\ -\ expires=[0-3]\ lease=3\ sessions=0\ owner=admin\ cookie=null\ desc=-$ ]]
check_err $? "listed as '$line'"
slowwait 15 no_map udp 19300 ||
	check_err 1 "still there: $(map_line udp 19300)"
[[ $(gw_stat maps_expired) == $((before + 1)) ]] ||
	check_err 1 "maps_expired went from $before to $(gw_stat maps_expired)"
log_test "lease 3: removed by the kernel when it ends"

##############################################################################
# map del

natctl -n "$GW" map del udp ext-port 19000
check_err $? "map del udp ext-port 19000 failed"
no_map udp 19000 ||
	check_err 1 "still listed: $(map_line udp 19000)"
before=$(gw_stat drop_no_mapping)
out=$(beh_udp "$INET" -a $INET_ADDR -t 2 ask:$GW_EXT:19000)
[[ $out == timeout ]]
check_err $? "19000 still answers: '$out'"
stat_is drop_no_mapping $((before + 1)) ||
	check_err 1 "drop_no_mapping went from $before to $(gw_stat drop_no_mapping), expected +1"
err=$(natctl -n "$GW" map del udp ext-port 19000 2>&1)
rc=$?
[[ $rc == 1 && $err == *"No such file or directory"*"no such static mapping"* ]]
check_err $? "deleting it again: exit $rc, '$err'"
err=$(natctl -n "$GW" map del udp ext-port 19200 2>&1)
rc=$?
[[ $rc == 1 && $err == *"no such static mapping"* ]]
check_err $? "del without the remote it was made with: exit $rc, '$err'"
natctl -n "$GW" map del udp ext-port 19200 remote $INET_ADDR
check_err $? "map del udp ext-port 19200 remote $INET_ADDR failed"
no_map udp 19200 ||
	check_err 1 "still listed: $(map_line udp 19200)"
log_test "map del removes; a missing one is an error"

##############################################################################
# The external address changes: static mappings follow it

NEW_EXT=203.0.113.9
natctl -n "$GW" map add udp 192.168.1.2:9200 ext-port 19300 lease 3600 desc moving >/dev/null
check_err $? "map add udp 192.168.1.2:9200 ext-port 19300 failed"
natctl -n "$GW" map add udp 192.168.1.2:9300 ext-port 19301 >/dev/null
check_err $? "map add udp 192.168.1.2:9300 ext-port 19301 failed"
# the address goes (none for a while: the mappings wait), another comes
ip -n "$GW" addr del $GW_EXT/24 dev wan0
ip -n "$GW" addr add $NEW_EXT/24 dev wan0
moved() { napt_maps_json udp | /usr/bin/python3 "$SELF/napt_beh_json.py" maps |
	awk -v e="$NEW_EXT:19300" '$3 == e' | grep -q "lease=3600.*desc=moving"; }
slowwait 10 moved
check_err $? "not on $NEW_EXT:19300 with its lease and desc: $(natctl -n "$GW" map list static)"
out=$(beh_udp "$INET" -a $INET_ADDR ask:$NEW_EXT:19300)
[[ $out =~ ^$NEW_EXT:19300\ $INET_ADDR:[0-9]+$ ]]
check_err $? "UDP to the new address: '$out'"
out=$(beh_udp "$LAN1" -s 9300 ask:$INET_ADDR:5000)
[[ $out == "$INET_ADDR:5000 $NEW_EXT:19301" ]]
check_err $? "LAN1:9300 out: '$out'"
natctl -n "$GW" map del udp ext-port 19300 &&
	natctl -n "$GW" map del udp ext-port 19301
check_err $? "map del without an address of the moved mappings failed"
ip -n "$GW" addr del $NEW_EXT/24 dev wan0
ip -n "$GW" addr add $GW_EXT/24 dev wan0
back() { [[ -n $(map_line tcp 18000) ]]; }
slowwait 10 back
check_err $? "the other forwards did not come back to $GW_EXT: $(natctl -n "$GW" map list static)"
# the dynamic mappings went with the old address: one for the flush below
out=$(beh_udp "$LAN2" -s 46001 ask:$INET_ADDR:5000)
[[ $out == "$INET_ADDR:5000 $GW_EXT:46001" ]]
check_err $? "LAN2 out after the address came back: '$out'"
log_test "the external address changes: forwards move with it, lease and desc kept"

##############################################################################
# map flush

s=$(count static)
[[ $(count dynamic) -ge 1 ]]
check_err $? "no dynamic mapping to flush"
natctl -n "$GW" map flush dynamic
check_err $? "map flush dynamic failed"
[[ $(count dynamic) == 0 && $(count static) == "$s" ]] ||
	check_err 1 "after flush dynamic: $(natctl -n "$GW" map list)"
out=$(beh_tcp "$INET" -a $INET_ADDR2 ask:$GW_EXT:18000:after-flush)
[[ $out =~ ^$GW_EXT:18000\ $INET_ADDR2:[0-9]+\ after-flush$ ]]
check_err $? "TCP to 18000 after flush dynamic: '$out'"
natctl -n "$GW" map flush static
check_err $? "map flush static failed"
[[ $(count) == 0 ]] ||
	check_err 1 "after flush static: $(natctl -n "$GW" map list)"
log_test "map flush dynamic keeps static mappings, flush static removes them"

exit "$EXIT_STATUS"
