/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * napt: a conntrack-independent IPv4 NAPT gateway.
 *
 * Documentation
 * =============
 *
 * The module is driven over generic netlink, family NAPT_GENL_NAME, version
 * NAPT_GENL_VERSION. Every network namespace has exactly one NAT instance;
 * a request acts on the instance of the namespace of the netlink socket.
 * An instance is idle ("down") until NAPT_CMD_UP configures it. Requests
 * that change state, and NAPT_CMD_GET_MAPS (mappings reveal inside
 * hosts' flows), need CAP_NET_ADMIN in the namespace's user namespace;
 * NAPT_CMD_GET_CONFIG and NAPT_CMD_GET_STATS are open to all. Every
 * rejection carries an extended-ack message, naming the attribute where
 * one is at fault. Attributes are validated strictly: unknown ones, wrong
 * lengths and a non-zero genlmsghdr.reserved are refused.
 *
 * Lists (NLA_NESTED of entries, drawn "0:" below) accept any attribute type
 * for their entries, except where a type is named; replies number entries
 * from 1.
 *
 * Errors common to all commands: EPERM (no CAP_NET_ADMIN), EINVAL or
 * ERANGE (bad attribute, with extack), ENOENT (the instance is down, for
 * every command but UP, DOWN and GET_CONFIG), ENOMEM.
 *
 * Memory: everything an instance allocates (its tables when it comes up,
 * every mapping and session later, whatever context makes them) is
 * charged to the memory cgroup of the process that sent NAPT_CMD_UP, so
 * that cgroup's limits bound it. A caller without CAP_NET_ADMIN in the
 * initial user namespace (root of a user namespace of its own) may ask
 * for at most NAPT_UNS_MAX_MAPS mappings and NAPT_UNS_MAX_SESSIONS
 * sessions (the defaults): EPERM with an extack message beyond them.
 *
 * Byte order: addresses (NLA_BE32) and ports (NLA_BE16) are in network
 * byte order; every other integer is in host byte order.
 *
 * NAPT_CMD_UP
 * -----------
 *
 * Configures and starts the instance. Fails with EEXIST if it is running
 * (use NAPT_CMD_SET). Required:
 *
 *    NAPT_A_EXT_IFINDEX: NLA_U32, the external (WAN) interface, or
 *    NAPT_A_EXT_IFNAME: NLA_NUL_STRING, its name (at most IFNAMSIZ - 1
 *      bytes; not both): the instance follows the name. It need not
 *      exist: until a device of that name is in the namespace the
 *      instance is up but translates nothing (NAPT_CMD_GET_CONFIG shows
 *      NAPT_A_EXT_IFINDEX 0, "waiting"). When the device goes, or comes
 *      back with a new index (a PPP link, a USB modem, a DHCP client
 *      that recreates it), the instance follows as if NAPT_CMD_SET had
 *      changed the interface: dynamic mappings are dropped, static ones
 *      wait for and move to the new device's address. With
 *      NAPT_A_EXT_IFINDEX the index is kept as given.
 *    NAPT_A_INT_NETS: NLA_NESTED, 1 to NAPT_MAX_INT_NETS prefixes
 *        0: NLA_NESTED
 *            NAPT_PREFIX_A_ADDR: NLA_BE32
 *            NAPT_PREFIX_A_LEN: NLA_U8, 0..32 (host bits must be zero)
 *        0: NLA_NESTED
 *            ...
 *
 * Optional (the defaults are those shown by NAPT_CMD_GET_CONFIG on a fresh
 * instance):
 *
 *    NAPT_A_EXT_ADDRS: NLA_NESTED, 0 to NAPT_MAX_EXT_ADDRS addresses
 *        NAPT_A_EXT_ADDRS_ENTRY: NLA_BE32 (this type only)
 *        NAPT_A_EXT_ADDRS_ENTRY: NLA_BE32
 *        ...
 *      Absent or empty: the primary IPv4 address of the external
 *      interface, followed as it changes. With several addresses, all
 *      mappings of one inside host use the same one ("paired" pooling).
 *    NAPT_A_PORT_MIN, NAPT_A_PORT_MAX: NLA_U16, the port range for
 *      allocated external ports (and ICMP identifiers), 1..65535,
 *      min <= max. Default 1024..65535.
 *    NAPT_A_TIMEOUT_UDP: NLA_U32 seconds, default 300
 *    NAPT_A_TIMEOUT_TCP_EST: NLA_U32 seconds, default 7440
 *    NAPT_A_TIMEOUT_TCP_TRANS: NLA_U32 seconds, default 240
 *    NAPT_A_TIMEOUT_ICMP: NLA_U32 seconds, default 60
 *      All timeouts are 1..NAPT_MAX_TIMEOUT.
 *    NAPT_A_BEHAVIOURS: NLA_NESTED, the mapping and filtering behaviour
 *        0: NLA_NESTED
 *            NAPT_BEHAV_A_PROTO: NLA_U8, IPPROTO_UDP, IPPROTO_TCP,
 *                IPPROTO_ICMP, or 0 or absent for all three
 *            NAPT_BEHAV_A_MAPPING: NLA_U8, enum napt_mapping (optional)
 *            NAPT_BEHAV_A_FILTERING: NLA_U8, enum napt_filtering (optional)
 *        0: NLA_NESTED
 *            ...
 *      Applied in order. Default: NAPT_MAPPING_EIM and NAPT_FILTER_APDF
 *      (port-restricted cone) for every protocol.
 *    NAPT_A_FLAGS: NLA_BITFIELD32 of enum napt_flags; only the bits in the
 *      selector change. Default: PORT_PRESERVE | HAIRPIN |
 *      INBOUND_REFRESH | ICMP_UNREACH.
 *    NAPT_A_MAX_MAPS: NLA_U32, most mappings in the instance, 1..
 *      NAPT_MAX_MAPS_LIMIT, default 65536. Fixed while the instance runs.
 *    NAPT_A_MAX_MAPS_PER_HOST: NLA_U32, most mappings of one inside
 *      address (RFC 6888 REQ-4), 0 for no limit beyond max-maps; default 0.
 *    NAPT_A_PORT_REUSE_DELAY: NLA_U32 seconds, 0..NAPT_MAX_TIMEOUT: a
 *      dynamic mapping's external port is not given to another inside
 *      endpoint for this long after the mapping went (RFC 6888 REQ-8);
 *      default 120. The same inside address may have it back at once.
 *      At most about max-maps ports rest at a time.
 *    NAPT_A_MAX_SESSIONS: NLA_U32, most remote-endpoint sessions, 1..
 *      NAPT_MAX_MAPS_LIMIT, default 4 x max-maps (at most
 *      NAPT_MAX_MAPS_LIMIT). Fixed while it runs.
 *    NAPT_A_SYN_HOLD: NLA_U32 seconds, 0..NAPT_MAX_SYN_HOLD, default 6
 *      (RFC 5382 REQ-4). An unsolicited inbound TCP SYN (no mapping on a
 *      port of the range, or refused by the filtering) is dropped at once
 *      but remembered this long: if an outbound SYN of the same
 *      connection is translated meanwhile, nothing more happens; if not,
 *      the remote gets ICMP port unreachable (3/3) from the external
 *      address. At most NAPT_SYN_HOLD_SLOTS SYNs are held per instance
 *      (the IP header and 8 bytes of each, not the packet); others are
 *      dropped silently and counted (NAPT_STAT_SYN_HOLD_FULL); a repeated
 *      SYN of one held connection keeps the first one's time. 0: every
 *      unsolicited SYN is dropped silently, and no 3/3 is sent for those
 *      still held.
 *    NAPT_A_MARK_STATIC: NLA_U32, and NAPT_A_MARK_STATIC_MASK: NLA_U32
 *      (default 0xffffffff when only the mark is given): a packet that
 *      napt translates inbound through a static mapping (a port forward)
 *      gets skb->mark = (skb->mark & ~MASK) | MARK, before conntrack,
 *      routing and the forward filter see it, so that a ruleset can
 *      accept exactly those ("meta mark & MASK == MARK accept"):
 *      conntrack has no "dnat" state for napt's translations. The mark
 *      must lie within the mask (EINVAL). A mask of 0 (the default)
 *      leaves marks alone.
 *
 * NAPT_CMD_SET
 * ------------
 *
 * Changes a running instance. Accepts the optional attributes of
 * NAPT_CMD_UP (a new NAPT_A_SYN_HOLD applies to SYNs held from then on)
 * except NAPT_A_MAX_MAPS and NAPT_A_MAX_SESSIONS (EBUSY), plus
 * NAPT_A_EXT_IFINDEX or NAPT_A_EXT_IFNAME, and NAPT_A_INT_NETS (each
 * replaces the old value). Existing mappings are kept; new timeouts
 * apply at their next refresh; a new behaviour applies to packets from
 * now on (a mapping made under one behaviour keeps its key until it
 * expires). Changing the external interface, the internal prefixes, the
 * external addresses or the port range flushes the dynamic mappings. An
 * empty NAPT_A_EXT_ADDRS goes back to the interface's address. Fails
 * with ENOENT when down.
 *
 * NAPT_CMD_DOWN
 * -------------
 *
 * Stops the instance and frees every mapping. Idempotent.
 *
 * NAPT_CMD_GET_CONFIG
 * -------------------
 *
 * Returns one message with NAPT_A_RUNNING (NLA_U8, 0 or 1) and, when
 * running, every attribute of NAPT_CMD_UP as it is in force (the
 * behaviours as three entries, one per protocol, NAPT_A_EXT_ADDRS with the
 * addresses in use), plus:
 *
 *    NAPT_A_NMAPS: NLA_U32, mappings now
 *    NAPT_A_NSESSIONS: NLA_U32, sessions now
 *    NAPT_A_EXT_FROM_IF: NLA_U8, 1 when NAPT_A_EXT_ADDRS is the external
 *      interface's address (none configured)
 *    NAPT_A_STATIC_COUNTS: NLA_NESTED, the static mappings of each owner:
 *      one NLA_U32 per enum napt_map_owner, whose attribute type is the
 *      owner plus one (a daemon caps its own mappings by them without
 *      dumping the table)
 *
 * NAPT_CMD_GET_MAPS
 * -----------------
 *
 * Dump (NLM_F_DUMP). The request may hold one NAPT_A_MAP whose
 * NAPT_MAP_A_PROTO, NAPT_MAP_A_TYPE, NAPT_MAP_A_INT_ADDR and
 * NAPT_MAP_A_EXT_PORT select mappings. Each reply message holds one NAPT_A_MAP:
 *
 *    NAPT_A_MAP: NLA_NESTED
 *        NAPT_MAP_A_PROTO: NLA_U8
 *        NAPT_MAP_A_TYPE: NLA_U8, enum napt_map_type
 *        NAPT_MAP_A_INT_ADDR: NLA_BE32
 *        NAPT_MAP_A_INT_PORT: NLA_BE16 (ICMP: the echo identifier)
 *        NAPT_MAP_A_EXT_ADDR: NLA_BE32
 *        NAPT_MAP_A_EXT_PORT: NLA_BE16
 *        NAPT_MAP_A_REM_ADDR: NLA_BE32, only in the key of an
 *            address-dependent or address-and-port-dependent mapping
 *        NAPT_MAP_A_REM_PORT: NLA_BE16, only with NAPT_MAPPING_APDM
 *        NAPT_MAP_A_MAPPING: NLA_U8, the mapping behaviour it was made under
 *        NAPT_MAP_A_EXPIRES: NLA_U32, seconds until it expires (a static
 *            mapping: until its lease ends; absent when permanent)
 *        NAPT_MAP_A_SESSIONS: NLA_U32, remote endpoints it has sent to
 *        NAPT_MAP_A_LEASE: NLA_U32, static only: the lease granted (s),
 *            0 for a permanent mapping
 *        NAPT_MAP_A_DESC: NLA_NUL_STRING, static only, if one was given
 *            (bytes as given: clients must escape what they print)
 *        NAPT_MAP_A_OWNER: NLA_U8, static only, enum napt_map_owner
 *        NAPT_MAP_A_COOKIE: NLA_BINARY, static only, if one was given
 *
 * A static mapping's NAPT_MAP_A_REM_ADDR is the only remote it accepts
 * inbound traffic from (absent: any).
 *
 * NAPT_CMD_ADD_MAP
 * ----------------
 *
 * Adds a static mapping (port forwarding). NAPT_A_MAP holds:
 *
 *    NAPT_MAP_A_PROTO: NLA_U8, IPPROTO_UDP or IPPROTO_TCP (required)
 *    NAPT_MAP_A_INT_ADDR: NLA_BE32, an address in an internal prefix
 *        that is a unicast host, not one of the gateway's own
 *        (EADDRNOTAVAIL) nor a broadcast or multicast address (EINVAL)
 *        (required)
 *    NAPT_MAP_A_INT_PORT: NLA_BE16, not 0 (required)
 *    NAPT_MAP_A_EXT_PORT: NLA_BE16, not 0; absent: the inside port if it
 *        is free, else one is allocated as for a dynamic mapping
 *    NAPT_MAP_A_EXT_ADDR: NLA_BE32, one of the external addresses;
 *        absent: the one the inside host's dynamic mappings use
 *    NAPT_MAP_A_REM_ADDR: NLA_BE32, accept inbound from this remote only
 *    NAPT_MAP_A_LEASE: NLA_U32 seconds, 0..NAPT_MAX_TIMEOUT; absent or 0:
 *        permanent. The kernel removes the mapping when the lease ends.
 *    NAPT_MAP_A_DESC: NLA_NUL_STRING, at most NAPT_DESC_MAX - 1 bytes;
 *        stored as given (natctl sends only printable UTF-8)
 *    NAPT_MAP_A_REPLACE: NLA_FLAG, renew a static mapping of the same
 *        inside endpoint instead of failing with EEXIST
 *    NAPT_MAP_A_OWNER: NLA_U8, enum napt_map_owner: which mechanism made
 *        it (absent: NAPT_OWNER_ADMIN). Stored and shown, never
 *        interpreted by the kernel; a daemon uses it to tell its own
 *        mappings from those of an administrator or another protocol
 *        (UPnP 729 ConflictWithOtherMechanisms) without state of its own.
 *    NAPT_MAP_A_COOKIE: NLA_BINARY, 1..NAPT_COOKIE_MAX bytes, opaque to the
 *        kernel, stored and shown (PCP keeps its mapping nonce here)
 *
 * The reply holds the mapping as NAPT_CMD_GET_MAPS shows it (with the
 * external port chosen). Errors: EEXIST, a static mapping holds that
 * external port for that remote (with NAPT_MAP_A_REPLACE and the same inside
 * endpoint, its lease, description, owner and cookie are renewed
 * instead, each as given: one absent is gone, the owner back to
 * NAPT_OWNER_ADMIN); EADDRINUSE,
 * a dynamic mapping or a socket of the gateway holds the port; ENOSPC, no
 * free port or a limit reached. Inbound packets from any remote (or the
 * one named) reach the inside endpoint, and its packets leave from the
 * mapped port, whatever the mapping and filtering behaviours.
 *
 * NAPT_CMD_DEL_MAP
 * ----------------
 *
 * Removes a static mapping named by NAPT_A_MAP's NAPT_MAP_A_PROTO,
 * NAPT_MAP_A_EXT_PORT, NAPT_MAP_A_REM_ADDR (absent: the one open to any
 * remote) and NAPT_MAP_A_EXT_ADDR (absent: the one such mapping on any
 * address, one left on an address the interface no longer has included;
 * EINVAL if several external addresses have one). ENOENT if there is
 * none.
 *
 * When the pool's address changes (the external interface's, followed,
 * or the configured ones with NAPT_CMD_SET), static mappings on an
 * address that left the pool move to the one their inside host gets, on
 * the same port, with their lease, description, owner and cookie: the
 * event group sees REMOVED (NAPT_REASON_ADDRESS), then CREATED. One whose
 * port is taken on the new address is only removed. While the interface
 * has no address at all they stay where they are.
 *
 * NAPT_CMD_FLUSH_MAPS
 * -------------------
 *
 * Removes mappings. Optional NAPT_A_MAP with NAPT_MAP_A_TYPE selects
 * dynamic or static ones; absent means all.
 *
 * NAPT_CMD_GET_STATS
 * ------------------
 *
 * Returns one message with NAPT_A_STATS: NLA_NESTED holding one NLA_U64 per
 * counter, the attribute type being the enum napt_stat index (counters
 * summed over CPUs since the instance came up; NAPT_STAT_A_PAD pads).
 *
 * NAPT_CMD_MAP_EVENT (multicast group NAPT_MCGRP_EVENTS)
 * ------------------------------------------------------
 *
 * Sent to the group's listeners of the namespace when a mapping is made,
 * removed, or could not be made. No remote address is ever sent (RFC 6888
 * REQ-12). NAPT_A_MAP holds NAPT_MAP_A_PROTO, _TYPE, _INT_ADDR, _INT_PORT,
 * _EXT_ADDR, _EXT_PORT (the last two absent for NAPT_EVENT_REFUSED), and:
 *
 *    NAPT_MAP_A_EVENT: NLA_U8, enum napt_event
 *    NAPT_MAP_A_REASON: NLA_U8, enum napt_reason
 *    NAPT_MAP_A_TIME: NLA_U64, CLOCK_REALTIME nanoseconds
 *
 * Listening needs CAP_NET_ADMIN on kernels that can restrict a group
 * (GENL_MCAST_CAP_NET_ADMIN; both Debian 12 kernels can). Under a storm of events the group's
 * socket buffer may overrun (ENOBUFS on receive); mappings are not
 * affected.
 */

#ifndef _UAPI_LINUX_NAPT_H
#define _UAPI_LINUX_NAPT_H

#define NAPT_GENL_NAME "napt"
#define NAPT_GENL_VERSION 1

#define NAPT_MAX_INT_NETS 16
#define NAPT_MAX_EXT_ADDRS 16
#define NAPT_MAX_TIMEOUT (7 * 24 * 3600)
#define NAPT_MAX_MAPS_LIMIT (1U << 24)
/* limits for a caller that is privileged only in a user namespace */
#define NAPT_UNS_MAX_MAPS 65536
#define NAPT_UNS_MAX_SESSIONS 262144	/* 4 x NAPT_UNS_MAX_MAPS */
#define NAPT_DESC_MAX 128
#define NAPT_COOKIE_MAX 16
#define NAPT_MAX_SYN_HOLD 60
#define NAPT_SYN_HOLD_SLOTS 64
#define NAPT_MCGRP_EVENTS "events"

enum napt_cmd {
	NAPT_CMD_UNSPEC,
	NAPT_CMD_UP,
	NAPT_CMD_SET,
	NAPT_CMD_DOWN,
	NAPT_CMD_GET_CONFIG,
	NAPT_CMD_GET_MAPS,
	NAPT_CMD_FLUSH_MAPS,
	NAPT_CMD_GET_STATS,
	NAPT_CMD_ADD_MAP,
	NAPT_CMD_DEL_MAP,
	NAPT_CMD_MAP_EVENT,
	__NAPT_CMD_MAX
};
#define NAPT_CMD_MAX (__NAPT_CMD_MAX - 1)

enum napt_attr {
	NAPT_A_UNSPEC,
	NAPT_A_RUNNING,
	NAPT_A_EXT_IFINDEX,
	NAPT_A_EXT_ADDRS,
	NAPT_A_INT_NETS,
	NAPT_A_PORT_MIN,
	NAPT_A_PORT_MAX,
	NAPT_A_TIMEOUT_UDP,
	NAPT_A_TIMEOUT_TCP_EST,
	NAPT_A_TIMEOUT_TCP_TRANS,
	NAPT_A_TIMEOUT_ICMP,
	NAPT_A_BEHAVIOURS,
	NAPT_A_FLAGS,
	NAPT_A_MAX_MAPS,
	NAPT_A_MAX_SESSIONS,
	NAPT_A_NMAPS,
	NAPT_A_NSESSIONS,
	NAPT_A_MAP,
	NAPT_A_STATS,
	NAPT_A_MAX_MAPS_PER_HOST,
	NAPT_A_PORT_REUSE_DELAY,
	NAPT_A_EXT_FROM_IF,
	NAPT_A_SYN_HOLD,
	NAPT_A_STATIC_COUNTS,
	NAPT_A_MARK_STATIC,
	NAPT_A_MARK_STATIC_MASK,
	NAPT_A_EXT_IFNAME,
	__NAPT_A_MAX
};
#define NAPT_A_MAX (__NAPT_A_MAX - 1)

/*
 * NAPT_A_EXT_IFNAME in NAPT_CMD_GET_CONFIG replies: present only when the
 * instance was configured by name.
 */

/* The one attribute type of the entries of NAPT_A_EXT_ADDRS. */
#define NAPT_A_EXT_ADDRS_ENTRY 1

enum napt_prefix_attr {
	NAPT_PREFIX_A_UNSPEC,
	NAPT_PREFIX_A_ADDR,
	NAPT_PREFIX_A_LEN,
	__NAPT_PREFIX_A_MAX
};
#define NAPT_PREFIX_A_MAX (__NAPT_PREFIX_A_MAX - 1)

enum napt_behav_attr {
	NAPT_BEHAV_A_UNSPEC,
	NAPT_BEHAV_A_PROTO,
	NAPT_BEHAV_A_MAPPING,
	NAPT_BEHAV_A_FILTERING,
	__NAPT_BEHAV_A_MAX
};
#define NAPT_BEHAV_A_MAX (__NAPT_BEHAV_A_MAX - 1)

/* RFC 4787 section 4.1 */
enum napt_mapping {
	NAPT_MAPPING_UNSPEC,
	NAPT_MAPPING_EIM,	/* endpoint-independent */
	NAPT_MAPPING_ADM,	/* address-dependent */
	NAPT_MAPPING_APDM,	/* address-and-port-dependent */
	__NAPT_MAPPING_MAX
};
#define NAPT_MAPPING_MAX (__NAPT_MAPPING_MAX - 1)

/* RFC 4787 section 5 */
enum napt_filtering {
	NAPT_FILTER_UNSPEC,
	NAPT_FILTER_EIF,	/* endpoint-independent */
	NAPT_FILTER_ADF,	/* address-dependent */
	NAPT_FILTER_APDF,	/* address-and-port-dependent */
	__NAPT_FILTER_MAX
};
#define NAPT_FILTER_MAX (__NAPT_FILTER_MAX - 1)

enum napt_flags {
	NAPT_F_PORT_PRESERVE = 1U << 0,	/* keep the inside port when free */
	NAPT_F_PORT_PARITY = 1U << 1,	/* keep its parity (RFC 4787 REQ-4) */
	/* RFC 4787 REQ-9: UDP, TCP, ICMP echo; and ICMP errors, RFC 5508 REQ-7 */
	NAPT_F_HAIRPIN = 1U << 2,
	NAPT_F_INBOUND_REFRESH = 1U << 3, /* inbound packets refresh timers */
	/* answer a new flow refused for want of a port or by a limit with
	 * ICMP 3/13 (RFC 5508 REQ-8)
	 */
	NAPT_F_ICMP_UNREACH = 1U << 4,
	__NAPT_F_ALL = (1U << 5) - 1
};

enum napt_map_type {
	NAPT_MAP_ANY,
	NAPT_MAP_DYNAMIC,
	NAPT_MAP_STATIC,
	__NAPT_MAP_TYPE_MAX
};
#define NAPT_MAP_TYPE_MAX (__NAPT_MAP_TYPE_MAX - 1)

enum napt_map_attr {
	NAPT_MAP_A_UNSPEC,
	NAPT_MAP_A_PROTO,
	NAPT_MAP_A_TYPE,
	NAPT_MAP_A_INT_ADDR,
	NAPT_MAP_A_INT_PORT,
	NAPT_MAP_A_EXT_ADDR,
	NAPT_MAP_A_EXT_PORT,
	NAPT_MAP_A_REM_ADDR,
	NAPT_MAP_A_REM_PORT,
	NAPT_MAP_A_MAPPING,
	NAPT_MAP_A_EXPIRES,
	NAPT_MAP_A_SESSIONS,
	NAPT_MAP_A_LEASE,
	NAPT_MAP_A_DESC,
	NAPT_MAP_A_EVENT,
	NAPT_MAP_A_REASON,
	NAPT_MAP_A_TIME,
	NAPT_MAP_A_PAD,
	NAPT_MAP_A_REPLACE,
	NAPT_MAP_A_OWNER,
	NAPT_MAP_A_COOKIE,
	__NAPT_MAP_A_MAX
};
#define NAPT_MAP_A_MAX (__NAPT_MAP_A_MAX - 1)

/* Who made a static mapping (NAPT_MAP_A_OWNER). */
enum napt_map_owner {
	NAPT_OWNER_ADMIN,	/* natctl, or anything that does not say */
	NAPT_OWNER_UPNP,	/* UPnP IGD (igdd) */
	NAPT_OWNER_NATPMP,	/* NAT-PMP, RFC 6886 (igdd) */
	NAPT_OWNER_PCP,		/* PCP, RFC 6887 (igdd) */
	__NAPT_OWNER_MAX
};
#define NAPT_OWNER_MAX (__NAPT_OWNER_MAX - 1)

enum napt_event {
	NAPT_EVENT_UNSPEC,
	NAPT_EVENT_CREATED,
	NAPT_EVENT_REMOVED,
	NAPT_EVENT_REFUSED,	/* a new flow could not get a mapping */
	__NAPT_EVENT_MAX
};
#define NAPT_EVENT_MAX (__NAPT_EVENT_MAX - 1)

enum napt_reason {
	NAPT_REASON_NONE,
	NAPT_REASON_EXPIRED,	/* timeout or end of lease */
	NAPT_REASON_DELETED,	/* NAPT_CMD_DEL_MAP */
	NAPT_REASON_FLUSHED,	/* flush, down, or a configuration change */
	NAPT_REASON_LIMIT,	/* max-maps, max-maps-per-host, max-sessions */
	NAPT_REASON_NO_PORT,	/* the port range is used up */
	NAPT_REASON_ADDRESS,	/* static: its external address left the
				 * pool (moved: a CREATED on the new one
				 * follows; else its port was taken there)
				 */
	__NAPT_REASON_MAX
};
#define NAPT_REASON_MAX (__NAPT_REASON_MAX - 1)

/* Counters of NAPT_A_STATS; the attribute type is the index. */
enum napt_stat {
	NAPT_STAT_A_PAD,
	NAPT_STAT_OUT_PKTS,		/* translated inside -> outside */
	NAPT_STAT_OUT_BYTES,
	NAPT_STAT_IN_PKTS,		/* translated outside -> inside */
	NAPT_STAT_IN_BYTES,
	NAPT_STAT_MAPS_CREATED,
	NAPT_STAT_MAPS_EXPIRED,
	NAPT_STAT_SESS_CREATED,
	NAPT_STAT_SESS_EXPIRED,
	NAPT_STAT_DROP_NO_MAPPING,	/* inbound to a NAT port, no mapping */
	NAPT_STAT_DROP_FILTERED,	/* inbound refused by the filtering */
	NAPT_STAT_DROP_NO_PORT,		/* no free external port */
	NAPT_STAT_DROP_MAP_LIMIT,	/* max-maps reached */
	NAPT_STAT_DROP_SESS_LIMIT,	/* max-sessions reached */
	NAPT_STAT_DROP_CHAIN,		/* hash chain at its bound */
	NAPT_STAT_DROP_NOMEM,
	NAPT_STAT_DROP_MALFORMED,	/* truncated or bad header; an ICMP
					 * error with a bad checksum
					 */
	NAPT_STAT_PASS_LOCAL,		/* inbound left to a local socket */
	NAPT_STAT_DROP_PROTO,		/* inside source, untranslatable proto */
	NAPT_STAT_DROP_HOST_LIMIT,	/* max-maps-per-host reached */
	NAPT_STAT_HAIRPIN_PKTS,		/* inside -> inside via an ext address */
	NAPT_STAT_ICMP_ERR_OUT,		/* ICMP errors translated outbound */
	NAPT_STAT_ICMP_ERR_IN,		/* ICMP errors translated inbound */
	NAPT_STAT_ICMP_UNREACH_SENT,	/* 3/13 answers to refused flows
					 * (asked of icmp_send(), which
					 * rate-limits)
					 */
	NAPT_STAT_DROP_ICMP_ERR,	/* ICMP errors matching no mapping */
	/* RFC 5382 REQ-4, see NAPT_A_SYN_HOLD */
	NAPT_STAT_SYN_HELD,		/* unsolicited inbound SYNs held */
	NAPT_STAT_SYN_HOLD_MATCHED,	/* ... then dropped silently: an
					 * outbound SYN was translated
					 */
	NAPT_STAT_SYN_HOLD_UNREACH,	/* ... then answered with 3/3
					 * (asked of icmp_send())
					 */
	NAPT_STAT_SYN_HOLD_FULL,	/* not held: all slots taken */
	NAPT_STAT_EGRESS_XLATE,		/* translated at the external
					 * device's egress: it had not
					 * passed POST_ROUTING (an
					 * nftables flowtable forwarded it)
					 */
	__NAPT_STAT_MAX
};
#define NAPT_STAT_MAX (__NAPT_STAT_MAX - 1)

#endif /* _UAPI_LINUX_NAPT_H */
