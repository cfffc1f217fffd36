/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natctl: what it adds to the shared generic netlink client
 * (tools/lib/napt_nl.h): the network namespace, and how a failed request
 * is printed.
 */
#ifndef NATCTL_NL_H
#define NATCTL_NL_H

#include "napt_nl.h"

/**
 * netns_enter() - enter the network namespace /run/netns/@name
 * @name: its name
 *
 * Return: 0, or -1 (printed).
 */
int netns_enter(const char *name);

/**
 * nl_perror() - print "natctl: <strerror>: <extack message>" for an error
 * of napt_nl_talk() on @nl, unless it is already reported
 * @nl: the client
 * @err: the -errno napt_nl_talk() returned
 *
 * Return: nothing.
 */
void nl_perror(const struct napt_nl *nl, int err);

#endif /* NATCTL_NL_H */
