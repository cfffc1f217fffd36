// SPDX-License-Identifier: GPL-2.0
/*
 * napt: the generic netlink API (documented in uapi/linux/napt.h).
 */
#include <linux/inetdevice.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/ip.h>

#include "kernel.h"

static struct netlink_range_validation napt_timeout_range = {
	.min = 1,
	.max = NAPT_MAX_TIMEOUT,
};

static struct netlink_range_validation napt_limit_range = {
	.min = 1,
	.max = NAPT_MAX_MAPS_LIMIT,
};

static const struct nla_policy napt_prefix_policy[NAPT_PREFIX_A_MAX + 1] = {
	[NAPT_PREFIX_A_ADDR] = { .type = NLA_BE32 },
	[NAPT_PREFIX_A_LEN] = NLA_POLICY_MAX(NLA_U8, 32),
};

static const struct nla_policy napt_behav_policy[NAPT_BEHAV_A_MAX + 1] = {
	[NAPT_BEHAV_A_PROTO] = { .type = NLA_U8 },
	[NAPT_BEHAV_A_MAPPING] = NLA_POLICY_RANGE(NLA_U8, NAPT_MAPPING_EIM,
						  NAPT_MAPPING_MAX),
	[NAPT_BEHAV_A_FILTERING] = NLA_POLICY_RANGE(NLA_U8, NAPT_FILTER_EIF,
						    NAPT_FILTER_MAX),
};

static struct netlink_range_validation napt_lease_range = {
	.min = 0,
	.max = NAPT_MAX_TIMEOUT,
};

static struct netlink_range_validation napt_host_range = {
	.min = 0,
	.max = NAPT_MAX_MAPS_LIMIT,
};

static const struct nla_policy napt_map_policy[NAPT_MAP_A_MAX + 1] = {
	[NAPT_MAP_A_PROTO] = { .type = NLA_U8 },
	[NAPT_MAP_A_TYPE] = NLA_POLICY_MAX(NLA_U8, NAPT_MAP_TYPE_MAX),
	[NAPT_MAP_A_INT_ADDR] = { .type = NLA_BE32 },
	[NAPT_MAP_A_INT_PORT] = { .type = NLA_BE16 },
	[NAPT_MAP_A_EXT_ADDR] = { .type = NLA_BE32 },
	[NAPT_MAP_A_EXT_PORT] = { .type = NLA_BE16 },
	[NAPT_MAP_A_REM_ADDR] = { .type = NLA_BE32 },
	[NAPT_MAP_A_REM_PORT] = { .type = NLA_BE16 },
	[NAPT_MAP_A_MAPPING] = NLA_POLICY_RANGE(NLA_U8, NAPT_MAPPING_EIM,
						NAPT_MAPPING_MAX),
	[NAPT_MAP_A_EXPIRES] = { .type = NLA_REJECT },
	[NAPT_MAP_A_SESSIONS] = { .type = NLA_REJECT },
	[NAPT_MAP_A_LEASE] = NLA_POLICY_FULL_RANGE(NLA_U32, &napt_lease_range),
	[NAPT_MAP_A_DESC] = { .type = NLA_NUL_STRING, .len = NAPT_DESC_MAX - 1 },
	[NAPT_MAP_A_EVENT] = { .type = NLA_REJECT },
	[NAPT_MAP_A_REASON] = { .type = NLA_REJECT },
	[NAPT_MAP_A_TIME] = { .type = NLA_REJECT },
	[NAPT_MAP_A_PAD] = { .type = NLA_REJECT },
	[NAPT_MAP_A_REPLACE] = { .type = NLA_FLAG },
	[NAPT_MAP_A_OWNER] = NLA_POLICY_MAX(NLA_U8, NAPT_OWNER_MAX),
	/* a length range for NLA_BINARY: both 6.1 and 6.12 validate it */
	[NAPT_MAP_A_COOKIE] = NLA_POLICY_RANGE(NLA_BINARY, 1, NAPT_COOKIE_MAX),
};

static const struct nla_policy napt_policy[NAPT_A_MAX + 1] = {
	[NAPT_A_RUNNING] = { .type = NLA_REJECT },
	[NAPT_A_EXT_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NAPT_A_EXT_ADDRS] = { .type = NLA_NESTED },
	[NAPT_A_INT_NETS] = NLA_POLICY_NESTED_ARRAY(napt_prefix_policy),
	[NAPT_A_PORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1),
	[NAPT_A_PORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1),
	[NAPT_A_TIMEOUT_UDP] = NLA_POLICY_FULL_RANGE(NLA_U32,
						     &napt_timeout_range),
	[NAPT_A_TIMEOUT_TCP_EST] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &napt_timeout_range),
	[NAPT_A_TIMEOUT_TCP_TRANS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &napt_timeout_range),
	[NAPT_A_TIMEOUT_ICMP] = NLA_POLICY_FULL_RANGE(NLA_U32,
						      &napt_timeout_range),
	[NAPT_A_BEHAVIOURS] = NLA_POLICY_NESTED_ARRAY(napt_behav_policy),
	[NAPT_A_FLAGS] = NLA_POLICY_BITFIELD32(__NAPT_F_ALL),
	[NAPT_A_MAX_MAPS] = NLA_POLICY_FULL_RANGE(NLA_U32, &napt_limit_range),
	[NAPT_A_MAX_SESSIONS] = NLA_POLICY_FULL_RANGE(NLA_U32,
						      &napt_limit_range),
	[NAPT_A_NMAPS] = { .type = NLA_REJECT },
	[NAPT_A_NSESSIONS] = { .type = NLA_REJECT },
	[NAPT_A_MAP] = NLA_POLICY_NESTED(napt_map_policy),
	[NAPT_A_STATS] = { .type = NLA_REJECT },
	[NAPT_A_MAX_MAPS_PER_HOST] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &napt_host_range),
	[NAPT_A_PORT_REUSE_DELAY] = NLA_POLICY_FULL_RANGE(NLA_U32,
							  &napt_lease_range),
	[NAPT_A_EXT_FROM_IF] = { .type = NLA_REJECT },
	[NAPT_A_SYN_HOLD] = NLA_POLICY_MAX(NLA_U32, NAPT_MAX_SYN_HOLD),
	[NAPT_A_STATIC_COUNTS] = { .type = NLA_REJECT },
	[NAPT_A_MARK_STATIC] = { .type = NLA_U32 },
	[NAPT_A_MARK_STATIC_MASK] = { .type = NLA_U32 },
	[NAPT_A_EXT_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static struct genl_family napt_genl_family;

static int napt_nl_ext_addrs(struct napt_cfg *cfg, const struct nlattr *nest,
			     struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	unsigned int n = 0;
	int rem;

	memset(cfg->ext, 0, sizeof(cfg->ext));
	nla_for_each_nested(a, nest, rem) {
		__be32 addr;

		if (nla_type(a) != NAPT_A_EXT_ADDRS_ENTRY ||
		    nla_len(a) != sizeof(__be32)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "bad external address entry");
			return -EINVAL;
		}
		if (n == NAPT_MAX_EXT_ADDRS) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many external addresses");
			return -E2BIG;
		}
		addr = nla_get_in_addr(a);
		if (ipv4_is_zeronet(addr) || ipv4_is_multicast(addr) ||
		    ipv4_is_lbcast(addr) || ipv4_is_loopback(addr)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "external address must be unicast");
			return -EINVAL;
		}
		cfg->ext[n++] = addr;
	}
	cfg->n_ext = n;
	return 0;
}

static int napt_nl_int_nets(struct napt_cfg *cfg, const struct nlattr *nest,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NAPT_PREFIX_A_MAX + 1];
	const struct nlattr *a;
	unsigned int n = 0;
	int rem, ret;

	memset(cfg->int_nets, 0, sizeof(cfg->int_nets));
	nla_for_each_nested(a, nest, rem) {
		struct napt_prefix *p = &cfg->int_nets[n];

		if (n == NAPT_MAX_INT_NETS) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many internal prefixes");
			return -E2BIG;
		}
		ret = nla_parse_nested(tb, NAPT_PREFIX_A_MAX, a,
				       napt_prefix_policy, extack);
		if (ret)
			return ret;
		if (!tb[NAPT_PREFIX_A_ADDR] || !tb[NAPT_PREFIX_A_LEN]) {
			NL_SET_ERR_MSG_ATTR(extack, a, "prefix needs address and length");
			return -EINVAL;
		}
		p->addr = nla_get_in_addr(tb[NAPT_PREFIX_A_ADDR]);
		p->len = nla_get_u8(tb[NAPT_PREFIX_A_LEN]);
		p->mask = inet_make_mask(p->len);
		if (p->addr & ~p->mask) {
			NL_SET_ERR_MSG_ATTR(extack, a, "internal prefix has host bits set");
			return -EINVAL;
		}
		n++;
	}
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "no internal prefix");
		return -EINVAL;
	}
	cfg->n_int = n;
	return 0;
}

static int napt_nl_behaviours(struct napt_cfg *cfg, const struct nlattr *nest,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NAPT_BEHAV_A_MAX + 1];
	const struct nlattr *a;
	int rem, ret, i;

	nla_for_each_nested(a, nest, rem) {
		int lo = 0, hi = NAPT_NPROTO - 1;

		ret = nla_parse_nested(tb, NAPT_BEHAV_A_MAX, a,
				       napt_behav_policy, extack);
		if (ret)
			return ret;
		if (tb[NAPT_BEHAV_A_PROTO] && nla_get_u8(tb[NAPT_BEHAV_A_PROTO])) {
			lo = napt_pidx(nla_get_u8(tb[NAPT_BEHAV_A_PROTO]));
			if (lo < 0) {
				NL_SET_ERR_MSG_ATTR(extack, tb[NAPT_BEHAV_A_PROTO],
						    "protocol must be udp, tcp, icmp or 0");
				return -EINVAL;
			}
			hi = lo;
		}
		for (i = lo; i <= hi; i++) {
			if (tb[NAPT_BEHAV_A_MAPPING])
				cfg->mapping[i] =
					nla_get_u8(tb[NAPT_BEHAV_A_MAPPING]);
			if (tb[NAPT_BEHAV_A_FILTERING])
				cfg->filtering[i] =
					nla_get_u8(tb[NAPT_BEHAV_A_FILTERING]);
		}
	}
	return 0;
}

static void napt_nl_u32(struct nlattr **tb, int type, u32 *v)
{
	if (tb[type])
		*v = nla_get_u32(tb[type]);
}

/*
 * Apply the attributes of an UP (@up) or SET request to @cfg.
 */
static int napt_nl_apply(struct net *net, struct napt_cfg *cfg,
			 struct nlattr **tb, bool up,
			 struct netlink_ext_ack *extack)
{
	int ret;

	if (tb[NAPT_A_EXT_IFNAME]) {
		if (tb[NAPT_A_EXT_IFINDEX]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NAPT_A_EXT_IFINDEX],
					    "give the external interface by name or by index, not both");
			return -EINVAL;
		}
		nla_strscpy(cfg->ext_ifname, tb[NAPT_A_EXT_IFNAME], IFNAMSIZ);
		if (!dev_valid_name(cfg->ext_ifname)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NAPT_A_EXT_IFNAME],
					    "not a valid interface name");
			return -EINVAL;
		}
		/* its index: napt_up() and napt_set(), under the lock */
		cfg->ext_ifindex = 0;
	} else if (tb[NAPT_A_EXT_IFINDEX]) {
		bool found;

		cfg->ext_ifname[0] = '\0';
		cfg->ext_ifindex = nla_get_u32(tb[NAPT_A_EXT_IFINDEX]);
		rcu_read_lock();
		found = dev_get_by_index_rcu(net, cfg->ext_ifindex);
		rcu_read_unlock();
		if (!found) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NAPT_A_EXT_IFINDEX],
					    "no such external interface");
			return -ENODEV;
		}
	} else if (up) {
		NL_SET_ERR_MSG_MOD(extack, "the external interface is required");
		return -EINVAL;
	}
	if (tb[NAPT_A_INT_NETS]) {
		ret = napt_nl_int_nets(cfg, tb[NAPT_A_INT_NETS], extack);
		if (ret)
			return ret;
	} else if (up) {
		NL_SET_ERR_MSG_MOD(extack, "the internal prefixes are required");
		return -EINVAL;
	}
	if (tb[NAPT_A_EXT_ADDRS]) {
		ret = napt_nl_ext_addrs(cfg, tb[NAPT_A_EXT_ADDRS], extack);
		if (ret)
			return ret;
	}
	if (tb[NAPT_A_PORT_MIN])
		cfg->port_min = nla_get_u16(tb[NAPT_A_PORT_MIN]);
	if (tb[NAPT_A_PORT_MAX])
		cfg->port_max = nla_get_u16(tb[NAPT_A_PORT_MAX]);
	if (cfg->port_min > cfg->port_max) {
		NL_SET_ERR_MSG_MOD(extack, "port range minimum above maximum");
		return -EINVAL;
	}
	napt_nl_u32(tb, NAPT_A_TIMEOUT_UDP, &cfg->timeout_udp);
	napt_nl_u32(tb, NAPT_A_TIMEOUT_TCP_EST, &cfg->timeout_tcp_est);
	napt_nl_u32(tb, NAPT_A_TIMEOUT_TCP_TRANS, &cfg->timeout_tcp_trans);
	napt_nl_u32(tb, NAPT_A_TIMEOUT_ICMP, &cfg->timeout_icmp);
	napt_nl_u32(tb, NAPT_A_MAX_MAPS_PER_HOST, &cfg->max_per_host);
	napt_nl_u32(tb, NAPT_A_PORT_REUSE_DELAY, &cfg->reuse_delay);
	napt_nl_u32(tb, NAPT_A_SYN_HOLD, &cfg->syn_hold);
	if (tb[NAPT_A_MARK_STATIC] || tb[NAPT_A_MARK_STATIC_MASK]) {
		cfg->mark_static = 0;
		cfg->mark_static_mask = tb[NAPT_A_MARK_STATIC] ? ~0U : 0;
		napt_nl_u32(tb, NAPT_A_MARK_STATIC, &cfg->mark_static);
		napt_nl_u32(tb, NAPT_A_MARK_STATIC_MASK,
			    &cfg->mark_static_mask);
		if (cfg->mark_static & ~cfg->mark_static_mask) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NAPT_A_MARK_STATIC],
					    "the static mark has bits outside its mask");
			return -EINVAL;
		}
	}
	if (tb[NAPT_A_BEHAVIOURS]) {
		ret = napt_nl_behaviours(cfg, tb[NAPT_A_BEHAVIOURS], extack);
		if (ret)
			return ret;
	}
	if (tb[NAPT_A_FLAGS]) {
		struct nla_bitfield32 bf = nla_get_bitfield32(tb[NAPT_A_FLAGS]);

		cfg->flags = (cfg->flags & ~bf.selector) |
			     (bf.value & bf.selector);
	}
	if (!up && (tb[NAPT_A_MAX_MAPS] || tb[NAPT_A_MAX_SESSIONS])) {
		NL_SET_ERR_MSG_MOD(extack,
				   "limits are fixed while up (down, then up)");
		return -EBUSY;
	}
	if (tb[NAPT_A_MAX_MAPS]) {
		cfg->max_maps = nla_get_u32(tb[NAPT_A_MAX_MAPS]);
		cfg->max_sess = min_t(u64, 4ULL * cfg->max_maps,
				      NAPT_MAX_MAPS_LIMIT);
	}
	napt_nl_u32(tb, NAPT_A_MAX_SESSIONS, &cfg->max_sess);
	return 0;
}

/*
 * The tables of an instance are as big as its limits say: one who is root
 * only in a user namespace of their own gets the defaults at most (more
 * is theirs to ask of the real administrator), however much their memory
 * cgroup would allow.
 */
static int napt_nl_limits_ok(struct sk_buff *skb, struct genl_info *info,
			     const struct napt_cfg *cfg)
{
	if (netlink_capable(skb, CAP_NET_ADMIN))
		return 0;
	if (cfg->max_maps > NAPT_UNS_MAX_MAPS) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NAPT_A_MAX_MAPS],
				    "at most " __stringify(NAPT_UNS_MAX_MAPS)
				    " mappings without CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	if (cfg->max_sess > NAPT_UNS_MAX_SESSIONS) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[NAPT_A_MAX_SESSIONS],
				    "at most " __stringify(NAPT_UNS_MAX_SESSIONS)
				    " sessions without CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	return 0;
}

static int napt_nl_up(struct sk_buff *skb, struct genl_info *info)
{
	struct napt_net *nn = napt_pernet(genl_info_net(info));
	struct napt_cfg *cfg;
	int ret;

	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL_ACCOUNT);
	if (!cfg)
		return -ENOMEM;
	napt_cfg_defaults(cfg);
	ret = napt_nl_apply(genl_info_net(info), cfg, info->attrs, true,
			    info->extack);
	if (!ret)
		ret = napt_nl_limits_ok(skb, info, cfg);
	if (ret)
		goto err;
	mutex_lock(&nn->lock);
	ret = napt_up(nn, cfg, info->extack);
	mutex_unlock(&nn->lock);
	if (ret)
		goto err;
	return 0;
err:
	kfree(cfg);
	return ret;
}

static int napt_nl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct napt_net *nn = napt_pernet(genl_info_net(info));
	struct napt_cfg *cfg, *old;
	int ret;

	mutex_lock(&nn->lock);
	old = rcu_dereference_protected(nn->cfg, lockdep_is_held(&nn->lock));
	if (!old) {
		NL_SET_ERR_MSG_MOD(info->extack, "napt is down (use up)");
		ret = -ENOENT;
		goto out;
	}
	cfg = kmemdup(old, sizeof(*cfg), GFP_KERNEL_ACCOUNT);
	if (!cfg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = napt_nl_apply(genl_info_net(info), cfg, info->attrs, false,
			    info->extack);
	if (!ret)
		ret = napt_set(nn, cfg, info->extack);
	if (ret)
		kfree(cfg);
out:
	mutex_unlock(&nn->lock);
	return ret;
}

static int napt_nl_down(struct sk_buff *skb, struct genl_info *info)
{
	struct napt_net *nn = napt_pernet(genl_info_net(info));

	mutex_lock(&nn->lock);
	napt_down(nn);
	mutex_unlock(&nn->lock);
	return 0;
}

static int napt_nl_put_cfg(struct sk_buff *msg, struct napt_net *nn,
			   const struct napt_cfg *cfg)
{
	static const u8 protos[NAPT_NPROTO] = {
		[NAPT_UDP] = IPPROTO_UDP,
		[NAPT_TCP] = IPPROTO_TCP,
		[NAPT_ICMP] = IPPROTO_ICMP,
	};
	struct nla_bitfield32 flags = { cfg->flags, __NAPT_F_ALL };
	struct nlattr *nest, *e;
	unsigned int i;

	if (nla_put_u8(msg, NAPT_A_RUNNING, 1) ||
	    nla_put_u32(msg, NAPT_A_EXT_IFINDEX, cfg->ext_ifindex))
		return -EMSGSIZE;

	nest = nla_nest_start(msg, NAPT_A_EXT_ADDRS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < cfg->n_ext; i++)
		if (nla_put_in_addr(msg, NAPT_A_EXT_ADDRS_ENTRY, cfg->ext[i]))
			return -EMSGSIZE;
	if (!cfg->n_ext && READ_ONCE(nn->if_addr) &&
	    nla_put_in_addr(msg, NAPT_A_EXT_ADDRS_ENTRY,
			    READ_ONCE(nn->if_addr)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);

	nest = nla_nest_start(msg, NAPT_A_INT_NETS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < cfg->n_int; i++) {
		e = nla_nest_start(msg, i + 1);
		if (!e ||
		    nla_put_in_addr(msg, NAPT_PREFIX_A_ADDR,
				    cfg->int_nets[i].addr) ||
		    nla_put_u8(msg, NAPT_PREFIX_A_LEN, cfg->int_nets[i].len))
			return -EMSGSIZE;
		nla_nest_end(msg, e);
	}
	nla_nest_end(msg, nest);

	if (nla_put_u16(msg, NAPT_A_PORT_MIN, cfg->port_min) ||
	    nla_put_u16(msg, NAPT_A_PORT_MAX, cfg->port_max) ||
	    nla_put_u32(msg, NAPT_A_TIMEOUT_UDP, cfg->timeout_udp) ||
	    nla_put_u32(msg, NAPT_A_TIMEOUT_TCP_EST, cfg->timeout_tcp_est) ||
	    nla_put_u32(msg, NAPT_A_TIMEOUT_TCP_TRANS,
			cfg->timeout_tcp_trans) ||
	    nla_put_u32(msg, NAPT_A_TIMEOUT_ICMP, cfg->timeout_icmp) ||
	    nla_put(msg, NAPT_A_FLAGS, sizeof(flags), &flags) ||
	    nla_put_u32(msg, NAPT_A_MAX_MAPS, cfg->max_maps) ||
	    nla_put_u32(msg, NAPT_A_MAX_SESSIONS, cfg->max_sess) ||
	    nla_put_u32(msg, NAPT_A_MAX_MAPS_PER_HOST, cfg->max_per_host) ||
	    nla_put_u32(msg, NAPT_A_PORT_REUSE_DELAY, cfg->reuse_delay) ||
	    nla_put_u32(msg, NAPT_A_SYN_HOLD, cfg->syn_hold) ||
	    nla_put_u32(msg, NAPT_A_MARK_STATIC, cfg->mark_static) ||
	    nla_put_u32(msg, NAPT_A_MARK_STATIC_MASK, cfg->mark_static_mask) ||
	    (cfg->ext_ifname[0] &&
	     nla_put_string(msg, NAPT_A_EXT_IFNAME, cfg->ext_ifname)) ||
	    nla_put_u8(msg, NAPT_A_EXT_FROM_IF, !cfg->n_ext) ||
	    nla_put_u32(msg, NAPT_A_NMAPS, atomic_read(&nn->nmaps)) ||
	    nla_put_u32(msg, NAPT_A_NSESSIONS, atomic_read(&nn->nsess)))
		return -EMSGSIZE;

	nest = nla_nest_start(msg, NAPT_A_STATIC_COUNTS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i <= NAPT_OWNER_MAX; i++)
		if (nla_put_u32(msg, i + 1, atomic_read(&nn->nstatic[i])))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);

	nest = nla_nest_start(msg, NAPT_A_BEHAVIOURS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < NAPT_NPROTO; i++) {
		e = nla_nest_start(msg, i + 1);
		if (!e ||
		    nla_put_u8(msg, NAPT_BEHAV_A_PROTO, protos[i]) ||
		    nla_put_u8(msg, NAPT_BEHAV_A_MAPPING, cfg->mapping[i]) ||
		    nla_put_u8(msg, NAPT_BEHAV_A_FILTERING, cfg->filtering[i]))
			return -EMSGSIZE;
		nla_nest_end(msg, e);
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int napt_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct napt_net *nn = napt_pernet(genl_info_net(info));
	const struct napt_cfg *cfg;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &napt_genl_family, 0,
				NAPT_CMD_GET_CONFIG);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err;
	}
	mutex_lock(&nn->lock);
	cfg = rcu_dereference_protected(nn->cfg, lockdep_is_held(&nn->lock));
	if (cfg)
		ret = napt_nl_put_cfg(msg, nn, cfg);
	else
		ret = nla_put_u8(msg, NAPT_A_RUNNING, 0);
	mutex_unlock(&nn->lock);
	if (ret)
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

static int napt_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct napt_net *nn = napt_pernet(genl_info_net(info));
	u64 sum[__NAPT_STAT_MAX] = {};
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int cpu, i, ret = -EMSGSIZE;

	mutex_lock(&nn->lock);
	if (!nn->stats) {
		mutex_unlock(&nn->lock);
		NL_SET_ERR_MSG_MOD(info->extack, "napt is down");
		return -ENOENT;
	}
	for_each_possible_cpu(cpu) {
		const struct napt_stats *st = per_cpu_ptr(nn->stats, cpu);

		for (i = 1; i < __NAPT_STAT_MAX; i++)
			sum[i] += READ_ONCE(st->c[i]);
	}
	mutex_unlock(&nn->lock);

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &napt_genl_family, 0,
				NAPT_CMD_GET_STATS);
	if (!hdr)
		goto err;
	nest = nla_nest_start(msg, NAPT_A_STATS);
	if (!nest)
		goto err;
	for (i = 1; i < __NAPT_STAT_MAX; i++)
		if (nla_put_u64_64bit(msg, i, sum[i], NAPT_STAT_A_PAD))
			goto err;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

/**
 * __napt_nl_parse_map() - parse a request's NAPT_A_MAP
 * @attrs: the request's top-level attributes
 * @extack: where to say what is wrong
 * @tb: NAPT_MAP_A_MAX + 1 slots for its attributes
 * @required: whether a request without NAPT_A_MAP is refused
 *
 * Return: 1 parsed into @tb, 0 absent (and not @required; @tb zeroed), or
 * a negative errno with an extended-ack message.
 */
static int __napt_nl_parse_map(struct nlattr **attrs,
			       struct netlink_ext_ack *extack,
			       struct nlattr **tb, bool required)
{
	int ret;

	if (!attrs[NAPT_A_MAP]) {
		memset(tb, 0, (NAPT_MAP_A_MAX + 1) * sizeof(*tb));
		if (!required)
			return 0;
		NL_SET_ERR_MSG_MOD(extack, "NAPT_A_MAP is required");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, NAPT_MAP_A_MAX, attrs[NAPT_A_MAP],
			       napt_map_policy, extack);
	if (ret) {
		if (extack && !extack->_msg)
			NL_SET_ERR_MSG_ATTR(extack, attrs[NAPT_A_MAP],
					    "bad NAPT_A_MAP");
		return ret;
	}
	return 1;
}

/* The same for a doit request. */
static int napt_nl_parse_map(struct genl_info *info, struct nlattr **tb,
			     bool required)
{
	return __napt_nl_parse_map(info->attrs, info->extack, tb, required);
}

static int napt_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct napt_net *nn = napt_pernet(genl_info_net(info));
	struct nlattr *tb[NAPT_MAP_A_MAX + 1];
	u8 type = NAPT_MAP_ANY;
	int ret;

	ret = napt_nl_parse_map(info, tb, false);
	if (ret < 0)
		return ret;
	if (tb[NAPT_MAP_A_TYPE])
		type = nla_get_u8(tb[NAPT_MAP_A_TYPE]);
	ret = 0;
	mutex_lock(&nn->lock);
	if (rcu_access_pointer(nn->cfg)) {
		napt_flush(nn, type, 0);
	} else {
		NL_SET_ERR_MSG_MOD(info->extack, "napt is down");
		ret = -ENOENT;
	}
	mutex_unlock(&nn->lock);
	return ret;
}

/* The state of a GET_MAPS dump, in cb->ctx. */
struct napt_dump {
	u32 bucket, skip, gen;
	bool started;
	u8 proto, type;
	__be32 int_addr;
	__be16 ext_port;
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/* Put @m as NAPT_A_MAP (the remote endpoint only if @rem). */
static int napt_nl_fill_map(struct sk_buff *skb, const struct napt_map *m,
			    bool rem)
{
	const struct napt_static *st;
	struct nlattr *nest;

	nest = nla_nest_start(skb, NAPT_A_MAP);
	if (!nest ||
	    nla_put_u8(skb, NAPT_MAP_A_PROTO, m->key.proto) ||
	    nla_put_u8(skb, NAPT_MAP_A_TYPE, READ_ONCE(m->type)) ||
	    nla_put_in_addr(skb, NAPT_MAP_A_INT_ADDR, m->key.int_addr) ||
	    nla_put_be16(skb, NAPT_MAP_A_INT_PORT, m->key.int_port) ||
	    nla_put_in_addr(skb, NAPT_MAP_A_EXT_ADDR, m->ext_addr) ||
	    nla_put_be16(skb, NAPT_MAP_A_EXT_PORT, m->ext_port))
		return -EMSGSIZE;
	if (!rem)
		goto out;
	rcu_read_lock();
	st = rcu_dereference(m->st);
	if (st) {
		s32 left = (s32)(READ_ONCE(m->expires) - napt_now());

		if ((st->lease &&
		     nla_put_u32(skb, NAPT_MAP_A_EXPIRES, max(left, 0))) ||
		    nla_put_u32(skb, NAPT_MAP_A_LEASE, st->lease) ||
		    (st->desc[0] &&
		     nla_put_string(skb, NAPT_MAP_A_DESC, st->desc)) ||
		    (st->rem &&
		     nla_put_in_addr(skb, NAPT_MAP_A_REM_ADDR, st->rem)) ||
		    nla_put_u8(skb, NAPT_MAP_A_OWNER, st->owner) ||
		    (st->cookie_len &&
		     nla_put(skb, NAPT_MAP_A_COOKIE, st->cookie_len,
			     st->cookie))) {
			rcu_read_unlock();
			return -EMSGSIZE;
		}
	}
	rcu_read_unlock();
	if (!st) {
		s32 left = (s32)(READ_ONCE(m->expires) - napt_now());

		if (nla_put_u32(skb, NAPT_MAP_A_EXPIRES, max(left, 0)))
			return -EMSGSIZE;
		if (m->mapping != NAPT_MAPPING_EIM &&
		    nla_put_in_addr(skb, NAPT_MAP_A_REM_ADDR, m->key.rem_addr))
			return -EMSGSIZE;
		if (m->mapping == NAPT_MAPPING_APDM &&
		    m->key.proto != IPPROTO_ICMP &&
		    nla_put_be16(skb, NAPT_MAP_A_REM_PORT, m->key.rem_port))
			return -EMSGSIZE;
	}
	if (nla_put_u8(skb, NAPT_MAP_A_MAPPING, m->mapping) ||
	    nla_put_u32(skb, NAPT_MAP_A_SESSIONS, atomic_read(&m->nsess)))
		return -EMSGSIZE;
out:
	nla_nest_end(skb, nest);
	return 0;
}

static int napt_nl_put_map(struct napt_map *m, void *arg)
{
	struct napt_dump *d = arg;
	struct sk_buff *skb = d->skb;
	void *hdr;

	if ((d->proto && m->key.proto != d->proto) ||
	    (d->type && READ_ONCE(m->type) != d->type) ||
	    (d->int_addr && m->key.int_addr != d->int_addr) ||
	    (d->ext_port && m->ext_port != d->ext_port))
		return 0;

	hdr = genlmsg_put(skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &napt_genl_family,
			  NLM_F_MULTI, NAPT_CMD_GET_MAPS);
	if (!hdr)
		return -EMSGSIZE;
	if (napt_nl_fill_map(skb, m, true)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int napt_nl_dump_maps(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct napt_net *nn = napt_pernet(sock_net(skb->sk));
	struct napt_dump *d = (struct napt_dump *)cb->ctx;
	struct nlattr **tb = napt_dump_attrs(cb);
	int ret = 0;

	BUILD_BUG_ON(sizeof(*d) > sizeof(cb->ctx));
	mutex_lock(&nn->lock);
	if (!d->started) {
		struct nlattr *mtb[NAPT_MAP_A_MAX + 1];

		if (!rcu_access_pointer(nn->cfg)) {
			NL_SET_ERR_MSG_MOD(cb->extack, "napt is down");
			ret = -ENOENT;
			goto out;
		}
		ret = __napt_nl_parse_map(tb, cb->extack, mtb, false);
		if (ret < 0)
			goto out;
		ret = 0;
		d->proto = mtb[NAPT_MAP_A_PROTO] ?
			   nla_get_u8(mtb[NAPT_MAP_A_PROTO]) : 0;
		d->type = mtb[NAPT_MAP_A_TYPE] ?
			  nla_get_u8(mtb[NAPT_MAP_A_TYPE]) : 0;
		d->int_addr = mtb[NAPT_MAP_A_INT_ADDR] ?
			      nla_get_in_addr(mtb[NAPT_MAP_A_INT_ADDR]) : 0;
		d->ext_port = mtb[NAPT_MAP_A_EXT_PORT] ?
			      nla_get_be16(mtb[NAPT_MAP_A_EXT_PORT]) : 0;
		d->gen = nn->gen;
		d->started = true;
	}
	/* the instance went down (or down and up) since the last part */
	if (!rcu_access_pointer(nn->cfg) || d->gen != nn->gen)
		goto out;
	d->skb = skb;
	d->cb = cb;
	ret = napt_map_walk(nn, &d->bucket, &d->skip, napt_nl_put_map, d);
	if (ret == -EMSGSIZE)
		ret = skb->len;	/* more to come */
out:
	mutex_unlock(&nn->lock);
	return ret;
}

/* The external addresses in force: configured ones or the interface's. */
static unsigned int napt_nl_ext_list(struct napt_net *nn,
				     const struct napt_cfg *cfg, __be32 *out)
{
	if (cfg->n_ext) {
		memcpy(out, cfg->ext, cfg->n_ext * sizeof(*out));
		return cfg->n_ext;
	}
	out[0] = READ_ONCE(nn->if_addr);
	return out[0] ? 1 : 0;
}

/*
 * A forward goes to a host of the LAN, never to the gateway itself: one to
 * its own address would open to the internet the services it offers only
 * on its LAN side, and one to a broadcast or multicast address would
 * reflect every packet to many hosts.
 */
static int napt_nl_host_addr(struct net *net, __be32 addr,
			     const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	switch (inet_addr_type(net, addr)) {
	case RTN_UNICAST:
		return 0;
	case RTN_LOCAL:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "inside address is one of the gateway's own");
		return -EADDRNOTAVAIL;
	default:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "inside address is not a unicast host");
		return -EINVAL;
	}
}

/* Word a refusal of napt_static_add() on the attribute at fault. */
static void napt_nl_static_err(struct netlink_ext_ack *extack,
			       struct nlattr **tb, enum napt_static_err why)
{
	struct nlattr *ext_port = tb[NAPT_MAP_A_EXT_PORT];
	struct nlattr *int_port = tb[NAPT_MAP_A_INT_PORT];

	switch (why) {
	case NAPT_SERR_SOCKET:
		NL_SET_ERR_MSG_ATTR(extack, ext_port,
				    "a socket of the gateway holds the external port");
		break;
	case NAPT_SERR_DYNAMIC:
		NL_SET_ERR_MSG_ATTR(extack, ext_port,
				    "a dynamic mapping holds the external port");
		break;
	case NAPT_SERR_EXT_FORWARDED:
		NL_SET_ERR_MSG_ATTR(extack, ext_port,
				    "the external port is already forwarded");
		break;
	case NAPT_SERR_INT_FORWARDED:
		NL_SET_ERR_MSG_ATTR(extack, int_port,
				    "the inside endpoint is already forwarded");
		break;
	case NAPT_SERR_NO_PORT:
		NL_SET_ERR_MSG_ATTR(extack, ext_port, "no free external port");
		break;
	case NAPT_SERR_CHAIN_FULL:
		NL_SET_ERR_MSG(extack, "hash chain full");
		break;
	case NAPT_SERR_CHANGING:
		NL_SET_ERR_MSG(extack,
			       "the mapping is changing meanwhile, try again");
		break;
	case NAPT_SERR_NOMEM:
		NL_SET_ERR_MSG(extack, "out of memory");
		break;
	case NAPT_SERR_NO_EXT_ADDR:
		NL_SET_ERR_MSG_ATTR(extack, tb[NAPT_MAP_A_EXT_ADDR],
				    "no external address");
		break;
	case NAPT_SERR_MAX_MAPS:
		NL_SET_ERR_MSG(extack, "max-maps reached");
		break;
	case NAPT_SERR_NONE:
		break;
	}
}

static int napt_nl_add_map(struct sk_buff *skb, struct genl_info *info)
{
	struct napt_net *nn = napt_pernet(genl_info_net(info));
	struct nlattr *tb[NAPT_MAP_A_MAX + 1];
	__be32 addrs[NAPT_MAX_EXT_ADDRS];
	struct napt_static_req r = {};
	enum napt_static_err why = NAPT_SERR_NONE;
	const struct napt_cfg *cfg;
	struct napt_map *m;
	struct sk_buff *msg;
	unsigned int n, i;
	void *hdr;
	int ret;

	ret = napt_nl_parse_map(info, tb, true);
	if (ret < 0)
		return ret;
	if (!tb[NAPT_MAP_A_PROTO] || !tb[NAPT_MAP_A_INT_ADDR] ||
	    !tb[NAPT_MAP_A_INT_PORT]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "protocol, inside address and port are required");
		return -EINVAL;
	}
	r.proto = nla_get_u8(tb[NAPT_MAP_A_PROTO]);
	if (r.proto != IPPROTO_UDP && r.proto != IPPROTO_TCP) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NAPT_MAP_A_PROTO],
				    "static mappings are for udp or tcp");
		return -EINVAL;
	}
	r.int_addr = nla_get_in_addr(tb[NAPT_MAP_A_INT_ADDR]);
	r.int_port = nla_get_be16(tb[NAPT_MAP_A_INT_PORT]);
	if (!r.int_port) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NAPT_MAP_A_INT_PORT],
				    "inside port 0");
		return -EINVAL;
	}
	if (tb[NAPT_MAP_A_EXT_PORT]) {
		r.ext_port = nla_get_be16(tb[NAPT_MAP_A_EXT_PORT]);
		if (!r.ext_port) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[NAPT_MAP_A_EXT_PORT],
					    "external port 0");
			return -EINVAL;
		}
	}
	if (tb[NAPT_MAP_A_EXT_ADDR])
		r.ext_addr = nla_get_in_addr(tb[NAPT_MAP_A_EXT_ADDR]);
	if (tb[NAPT_MAP_A_REM_ADDR])
		r.rem = nla_get_in_addr(tb[NAPT_MAP_A_REM_ADDR]);
	if (tb[NAPT_MAP_A_LEASE])
		r.lease = nla_get_u32(tb[NAPT_MAP_A_LEASE]);
	if (tb[NAPT_MAP_A_DESC])
		r.desc = nla_data(tb[NAPT_MAP_A_DESC]);
	r.replace = nla_get_flag(tb[NAPT_MAP_A_REPLACE]);
	if (tb[NAPT_MAP_A_OWNER])
		r.owner = nla_get_u8(tb[NAPT_MAP_A_OWNER]);
	if (tb[NAPT_MAP_A_COOKIE]) {
		r.cookie = nla_data(tb[NAPT_MAP_A_COOKIE]);
		r.cookie_len = nla_len(tb[NAPT_MAP_A_COOKIE]);
	}

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&nn->lock);
	cfg = rcu_dereference_protected(nn->cfg, lockdep_is_held(&nn->lock));
	if (!cfg) {
		NL_SET_ERR_MSG_MOD(info->extack, "napt is down");
		ret = -ENOENT;
		goto out;
	}
	if (!napt_in_int_nets(cfg, r.int_addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NAPT_MAP_A_INT_ADDR],
				    "inside address not in an internal prefix");
		ret = -EINVAL;
		goto out;
	}
	ret = napt_nl_host_addr(genl_info_net(info), r.int_addr,
				tb[NAPT_MAP_A_INT_ADDR], info->extack);
	if (ret)
		goto out;
	if (r.ext_addr) {
		n = napt_nl_ext_list(nn, cfg, addrs);
		for (i = 0; i < n && addrs[i] != r.ext_addr; i++)
			;
		if (i == n) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[NAPT_MAP_A_EXT_ADDR],
					    "not an external address");
			ret = -EINVAL;
			goto out;
		}
	}
	ret = napt_static_add(nn, cfg, &r, &m, &why);
	if (ret) {
		napt_nl_static_err(info->extack, tb, why);
		goto out;
	}
	/* our reference keeps @m while the sweeper or a packet may end it */
	hdr = genlmsg_put_reply(msg, info, &napt_genl_family, 0,
				NAPT_CMD_ADD_MAP);
	ret = !hdr || napt_nl_fill_map(msg, m, true) ? -EMSGSIZE : 0;
	napt_map_put(m);
	if (ret)
		goto out;
	genlmsg_end(msg, hdr);
	mutex_unlock(&nn->lock);
	return genlmsg_reply(msg, info);
out:
	mutex_unlock(&nn->lock);
	nlmsg_free(msg);
	return ret;
}

static int napt_nl_del_map(struct sk_buff *skb, struct genl_info *info)
{
	struct napt_net *nn = napt_pernet(genl_info_net(info));
	struct nlattr *tb[NAPT_MAP_A_MAX + 1];
	__be32 addr = 0, rem = 0;
	__be16 port;
	int ret;
	u8 proto;

	ret = napt_nl_parse_map(info, tb, true);
	if (ret < 0)
		return ret;
	if (!tb[NAPT_MAP_A_PROTO] || !tb[NAPT_MAP_A_EXT_PORT]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "protocol and external port are required");
		return -EINVAL;
	}
	proto = nla_get_u8(tb[NAPT_MAP_A_PROTO]);
	port = nla_get_be16(tb[NAPT_MAP_A_EXT_PORT]);
	if (tb[NAPT_MAP_A_REM_ADDR])
		rem = nla_get_in_addr(tb[NAPT_MAP_A_REM_ADDR]);
	if (tb[NAPT_MAP_A_EXT_ADDR])
		addr = nla_get_in_addr(tb[NAPT_MAP_A_EXT_ADDR]);

	mutex_lock(&nn->lock);
	if (!rcu_access_pointer(nn->cfg)) {
		NL_SET_ERR_MSG_MOD(info->extack, "napt is down");
		ret = -ENOENT;
		goto out;
	}
	ret = napt_static_del(nn, proto, addr, port, rem);
	if (ret == -ENOTUNIQ) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "several static mappings hold that port: name the external address");
		ret = -EINVAL;
	} else if (ret) {
		NL_SET_ERR_MSG_MOD(info->extack, "no such static mapping");
	}
out:
	mutex_unlock(&nn->lock);
	return ret;
}

enum napt_mcgrp { NAPT_MCGRP_EV };

static const struct genl_multicast_group napt_mcgrps[] = {
	[NAPT_MCGRP_EV] = {
		.name = NAPT_MCGRP_EVENTS,
#ifdef NAPT_HAVE_GENL_MCAST_CAP
		.flags = GENL_MCAST_CAP_NET_ADMIN,
#endif
	},
};

/**
 * napt_event() - tell the event group about a mapping
 * @nn: the instance
 * @ev: what may be said of it (no remote endpoint: see struct napt_ev)
 * @event: enum napt_event
 * @reason: enum napt_reason
 *
 * Costs nothing without listeners. Context: any, including softirq with a
 * table lock held.
 */
void napt_event(struct napt_net *nn, const struct napt_ev *ev, u8 event,
		u8 reason)
{
	struct sk_buff *skb;
	struct nlattr *nest;
	void *hdr;

	if (!genl_has_listeners(&napt_genl_family, nn->net, NAPT_MCGRP_EV))
		return;
	skb = genlmsg_new(NLMSG_DEFAULT_SIZE / 8, GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &napt_genl_family, 0, NAPT_CMD_MAP_EVENT);
	if (!hdr)
		goto err;
	nest = nla_nest_start(skb, NAPT_A_MAP);
	if (!nest ||
	    nla_put_u8(skb, NAPT_MAP_A_PROTO, ev->proto) ||
	    nla_put_u8(skb, NAPT_MAP_A_TYPE, ev->type) ||
	    nla_put_in_addr(skb, NAPT_MAP_A_INT_ADDR, ev->int_addr) ||
	    nla_put_be16(skb, NAPT_MAP_A_INT_PORT, ev->int_port) ||
	    (ev->has_ext &&
	     (nla_put_in_addr(skb, NAPT_MAP_A_EXT_ADDR, ev->ext_addr) ||
	      nla_put_be16(skb, NAPT_MAP_A_EXT_PORT, ev->ext_port))) ||
	    nla_put_u8(skb, NAPT_MAP_A_EVENT, event) ||
	    nla_put_u8(skb, NAPT_MAP_A_REASON, reason) ||
	    nla_put_u64_64bit(skb, NAPT_MAP_A_TIME, ktime_get_real_ns(),
			      NAPT_MAP_A_PAD))
		goto err;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&napt_genl_family, nn->net, skb, 0,
				NAPT_MCGRP_EV, GFP_ATOMIC);
	return;
err:
	nlmsg_free(skb);
}

static const struct genl_small_ops napt_genl_ops[] = {
	{
		.cmd = NAPT_CMD_UP,
		.doit = napt_nl_up,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAPT_CMD_SET,
		.doit = napt_nl_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAPT_CMD_DOWN,
		.doit = napt_nl_down,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAPT_CMD_GET_CONFIG,
		.doit = napt_nl_get_config,
	},
	{
		.cmd = NAPT_CMD_GET_MAPS,
		.dumpit = napt_nl_dump_maps,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAPT_CMD_FLUSH_MAPS,
		.doit = napt_nl_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAPT_CMD_GET_STATS,
		.doit = napt_nl_get_stats,
	},
	{
		.cmd = NAPT_CMD_ADD_MAP,
		.doit = napt_nl_add_map,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NAPT_CMD_DEL_MAP,
		.doit = napt_nl_del_map,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family napt_genl_family __ro_after_init = {
	.name = NAPT_GENL_NAME,
	.version = NAPT_GENL_VERSION,
	.maxattr = NAPT_A_MAX,
	.policy = napt_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = napt_genl_ops,
	.n_small_ops = ARRAY_SIZE(napt_genl_ops),
	.mcgrps = napt_mcgrps,
	.n_mcgrps = ARRAY_SIZE(napt_mcgrps),
	.resv_start_op = NAPT_CMD_UP,
};

int __init napt_genl_init(void)
{
	return genl_register_family(&napt_genl_family);
}

void napt_genl_exit(void)
{
	genl_unregister_family(&napt_genl_family);
}
