/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igdd: SOAP control of WANIPConnection:1/:2 and WANCommonInterfaceConfig:1.
 * The envelope is parsed with expat (soap_parse()); soap_handle() runs the
 * action against the mapping layer and writes the response.
 */
#ifndef IGDD_SOAP_H
#define IGDD_SOAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "sbuf.h"

#define SOAP_BODY_MAX 8192
#define SOAP_ARGS_MAX 16
#define SOAP_NAME_MAX 48
#define SOAP_VAL_MAX 256

enum soap_service {
	SOAP_SVC_IPCONN1,	/* WANIPConnection:1 (IGD:1 tree) */
	SOAP_SVC_IPCONN2,	/* WANIPConnection:2 (IGD:2 tree) */
	SOAP_SVC_CIF,		/* WANCommonInterfaceConfig:1 */
};

struct soap_arg {
	char name[SOAP_NAME_MAX];
	char val[SOAP_VAL_MAX];
};

struct soap_req {
	char ns[96];		/* the action element's namespace */
	char action[SOAP_NAME_MAX];
	unsigned int nargs;
	struct soap_arg args[SOAP_ARGS_MAX];
};

enum {
	SOAP_OK = 0,
	SOAP_E_XML = -1,	/* not a well-formed SOAP envelope: UPnP 402 */
	SOAP_E_ARGS = -2,	/* too many/too long/duplicate args: UPnP 402 */
	SOAP_E_ACTION = -3,	/* SOAPACTION header and body disagree: 401 */
};

/** soap_parse() - parse an envelope of @len bytes; SOAP_OK, SOAP_E_XML or SOAP_E_ARGS */
int soap_parse(const char *body, size_t len, struct soap_req *r);

/* What soap_handle() needs to know of the daemon. */
struct soap_env {
	struct in_addr client;	/* the caller's address */
	bool authorised;	/* NewManage may act on other hosts */
	uint64_t uptime;	/* seconds igdd has run */
};

/**
 * soap_handle() - run @r (as parsed; @perr a soap_parse() error or 0)
 * on @svc and write the SOAP response or fault to @out
 * Return: the HTTP status (200, or 500 for a UPnP error)
 */
int soap_handle(enum soap_service svc, const struct soap_req *r, int perr,
		const struct soap_env *env, struct sbuf *out);

/** soap_service_type() - "urn:schemas-upnp-org:service:...:N" of @svc */
const char *soap_service_type(enum soap_service svc);

/* Logging hook (igdd.c provides it; tests a quiet one). */
void igd_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* IGDD_SOAP_H */
