/* SPDX-License-Identifier: GPL-2.0 */
/*
 * napt: declarations of the kernel-only parts (hooks, netlink, instance
 * life cycle), which the userspace build of the table does not see.
 */
#ifndef _NAPT_KERNEL_H
#define _NAPT_KERNEL_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/genetlink.h>

#include "napt.h"

extern unsigned int napt_net_id;

static inline struct napt_net *napt_pernet(const struct net *net)
{
	return net_generic(net, napt_net_id);
}

/* hooks.c */
int napt_hooks_register(struct napt_net *nn);
void napt_hooks_unregister(struct napt_net *nn);

/* instance.c: the life cycle of an instance; callers hold nn->lock */
int napt_up(struct napt_net *nn, struct napt_cfg *cfg,
	    struct netlink_ext_ack *extack);
int napt_set(struct napt_net *nn, struct napt_cfg *cfg,
	     struct netlink_ext_ack *extack);
void napt_down(struct napt_net *nn);
__be32 napt_if_primary_addr(struct net *net, int ifindex);
int napt_instance_init(void);

/* synhold.c: the work that answers held SYNs (nn->syn_work) */
void napt_synhold_work(struct work_struct *work);
void napt_instance_exit(void);

/* netlink.c */
int napt_genl_init(void);
void napt_genl_exit(void);

/*
 * The parsed attributes of a dump request moved from genl_dumpit_info()
 * to genl_info_dump(); Kbuild tells which this kernel has.
 */
#ifdef NAPT_HAVE_GENL_INFO_DUMP
#define napt_dump_attrs(cb) (genl_info_dump(cb)->attrs)
#else
#define napt_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#endif

#endif /* _NAPT_KERNEL_H */
