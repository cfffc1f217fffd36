/* SPDX-License-Identifier: GPL-2.0 */
/* igdd: device descriptions and service descriptions (SCPD) served over HTTP. */
#ifndef IGDD_DESC_H
#define IGDD_DESC_H

#include <stddef.h>

#include "sbuf.h"
#include "ssdp.h"

/* The paths igdd serves. */
#define DESC_ROOT1 "/rootDesc.xml"
#define DESC_ROOT2 "/rootDesc2.xml"
#define DESC_IPCONN1 "/WANIPCn.xml"
#define DESC_IPCONN2 "/WANIPCn2.xml"
#define DESC_CIF "/WANCfg.xml"
#define CTL_IPCONN1 "/ctl/IPConn"
#define CTL_IPCONN2 "/ctl/IPConn2"
#define CTL_CIF "/ctl/CmnIfCfg"
#define CTL_CIF2 "/ctl/CmnIfCfg2"

/**
 * desc_root() - the device description of @tree (SSDP_TREE_IGD1/2)
 * @base: "http://ADDR:PORT" of the LAN the request came on
 */
void desc_root(struct sbuf *b, int tree, const char *base,
	       const char uuids[SSDP_NTREES][SSDP_NDEVS][37],
	       const char *friendly_name);

/** desc_scpd() - the SCPD at @path, or NULL */
const char *desc_scpd(const char *path);

#endif /* IGDD_DESC_H */
