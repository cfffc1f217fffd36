/* SPDX-License-Identifier: GPL-2.0 */
/* igdd: the fake netlink layer of the tests (fake-nl.c). */
#ifndef IGDD_FAKE_NL_H
#define IGDD_FAKE_NL_H

#include "nl.h"

#define FAKE_MAX 64
extern struct igd_map tab[FAKE_MAX];	/* the "kernel" table */
extern unsigned int ntab;
extern bool nat_down;			/* every call: -ENOENT */
extern const char *fake_ext;		/* the external address */

#endif /* IGDD_FAKE_NL_H */
