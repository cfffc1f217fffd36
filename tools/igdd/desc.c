// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: the UPnP description documents. Two device trees:
 *
 *   /rootDesc.xml   InternetGatewayDevice:1 > WANDevice:1 >
 *                   WANConnectionDevice:1 > WANIPConnection:1
 *   /rootDesc2.xml  InternetGatewayDevice:2 > WANDevice:2 >
 *                   WANConnectionDevice:2 > WANIPConnection:2
 *
 * each WANDevice with WANCommonInterfaceConfig:1. Windows and game
 * consoles look for the IGD:1 tree only: it never names a :2 type.
 */
#include <string.h>

#include "desc.h"

#define URN "urn:schemas-upnp-org:"

static void device_head(struct sbuf *b, const char *type, const char *name,
			const char *uuid)
{
	sb_printf(b, "<device><deviceType>" URN "device:%s</deviceType>"
		  "<friendlyName>", type);
	sb_esc(b, name);
	sb_printf(b, "</friendlyName><manufacturer>napt</manufacturer>"
		  "<manufacturerURL>https://example.invalid/napt</manufacturerURL>"
		  "<modelDescription>napt IGD</modelDescription>"
		  "<modelName>igdd</modelName><modelNumber>1</modelNumber>"
		  "<serialNumber>1</serialNumber><UDN>uuid:%s</UDN>", uuid);
}

static void service(struct sbuf *b, const char *type, const char *id,
		    const char *scpd, const char *ctl)
{
	sb_printf(b, "<service><serviceType>" URN "service:%s</serviceType>"
		  "<serviceId>urn:upnp-org:serviceId:%s</serviceId>"
		  "<SCPDURL>%s</SCPDURL><controlURL>%s</controlURL>"
		  "<eventSubURL>/evt%s</eventSubURL></service>",
		  type, id, scpd, ctl, ctl + 4);
}

void desc_root(struct sbuf *b, int tree, const char *base,
	       const char uuids[SSDP_NTREES][SSDP_NDEVS][37],
	       const char *friendly_name)
{
	bool v2 = tree == SSDP_TREE_IGD2;

	sb_printf(b, "<?xml version=\"1.0\"?>\r\n"
		  "<root xmlns=\"" URN "device-1-0\">"
		  "<specVersion><major>1</major><minor>%d</minor></specVersion>"
		  "<URLBase>%s</URLBase>", v2 ? 1 : 0, base);
	device_head(b, v2 ? "InternetGatewayDevice:2" : "InternetGatewayDevice:1",
		    friendly_name, uuids[tree][SSDP_DEV_ROOT]);
	sb_printf(b, "<presentationURL>%s/</presentationURL><deviceList>", base);
	device_head(b, v2 ? "WANDevice:2" : "WANDevice:1", "WANDevice",
		    uuids[tree][SSDP_DEV_WAN]);
	sb_printf(b, "<serviceList>");
	service(b, "WANCommonInterfaceConfig:1", "WANCommonIFC1", DESC_CIF,
		v2 ? CTL_CIF2 : CTL_CIF);
	sb_printf(b, "</serviceList><deviceList>");
	device_head(b, v2 ? "WANConnectionDevice:2" : "WANConnectionDevice:1",
		    "WANConnectionDevice", uuids[tree][SSDP_DEV_WANCONN]);
	sb_printf(b, "<serviceList>");
	if (v2)
		service(b, "WANIPConnection:2", "WANIPConn1", DESC_IPCONN2,
			CTL_IPCONN2);
	else
		service(b, "WANIPConnection:1", "WANIPConn1", DESC_IPCONN1,
			CTL_IPCONN1);
	sb_printf(b, "</serviceList></device></deviceList></device>"
		  "</deviceList></device></root>\r\n");
}

/* ---- SCPDs, built once from tables ---- */

struct a_arg {
	const char *name;
	bool out;
	const char *var;
};

struct action {
	const char *name;
	bool v2_only;
	struct a_arg args[9];
};

static const struct action ipconn_actions[] = {
	{ "SetConnectionType", false, { { "NewConnectionType", false, "ConnectionType" } } },
	{ "GetConnectionTypeInfo", false, {
		{ "NewConnectionType", true, "ConnectionType" },
		{ "NewPossibleConnectionTypes", true, "PossibleConnectionTypes" } } },
	{ "RequestConnection", false, { { 0 } } },
	{ "ForceTermination", false, { { 0 } } },
	{ "GetStatusInfo", false, {
		{ "NewConnectionStatus", true, "ConnectionStatus" },
		{ "NewLastConnectionError", true, "LastConnectionError" },
		{ "NewUptime", true, "Uptime" } } },
	{ "GetNATRSIPStatus", false, {
		{ "NewRSIPAvailable", true, "RSIPAvailable" },
		{ "NewNATEnabled", true, "NATEnabled" } } },
	{ "GetGenericPortMappingEntry", false, {
		{ "NewPortMappingIndex", false, "PortMappingNumberOfEntries" },
		{ "NewRemoteHost", true, "RemoteHost" },
		{ "NewExternalPort", true, "ExternalPort" },
		{ "NewProtocol", true, "PortMappingProtocol" },
		{ "NewInternalPort", true, "InternalPort" },
		{ "NewInternalClient", true, "InternalClient" },
		{ "NewEnabled", true, "PortMappingEnabled" },
		{ "NewPortMappingDescription", true, "PortMappingDescription" },
		{ "NewLeaseDuration", true, "PortMappingLeaseDuration" } } },
	{ "GetSpecificPortMappingEntry", false, {
		{ "NewRemoteHost", false, "RemoteHost" },
		{ "NewExternalPort", false, "ExternalPort" },
		{ "NewProtocol", false, "PortMappingProtocol" },
		{ "NewInternalPort", true, "InternalPort" },
		{ "NewInternalClient", true, "InternalClient" },
		{ "NewEnabled", true, "PortMappingEnabled" },
		{ "NewPortMappingDescription", true, "PortMappingDescription" },
		{ "NewLeaseDuration", true, "PortMappingLeaseDuration" } } },
	{ "AddPortMapping", false, {
		{ "NewRemoteHost", false, "RemoteHost" },
		{ "NewExternalPort", false, "ExternalPort" },
		{ "NewProtocol", false, "PortMappingProtocol" },
		{ "NewInternalPort", false, "InternalPort" },
		{ "NewInternalClient", false, "InternalClient" },
		{ "NewEnabled", false, "PortMappingEnabled" },
		{ "NewPortMappingDescription", false, "PortMappingDescription" },
		{ "NewLeaseDuration", false, "PortMappingLeaseDuration" } } },
	{ "AddAnyPortMapping", true, {
		{ "NewRemoteHost", false, "RemoteHost" },
		{ "NewExternalPort", false, "ExternalPort" },
		{ "NewProtocol", false, "PortMappingProtocol" },
		{ "NewInternalPort", false, "InternalPort" },
		{ "NewInternalClient", false, "InternalClient" },
		{ "NewEnabled", false, "PortMappingEnabled" },
		{ "NewPortMappingDescription", false, "PortMappingDescription" },
		{ "NewLeaseDuration", false, "PortMappingLeaseDuration" },
		{ "NewReservedPort", true, "ExternalPort" } } },
	{ "DeletePortMapping", false, {
		{ "NewRemoteHost", false, "RemoteHost" },
		{ "NewExternalPort", false, "ExternalPort" },
		{ "NewProtocol", false, "PortMappingProtocol" } } },
	{ "DeletePortMappingRange", true, {
		{ "NewStartPort", false, "ExternalPort" },
		{ "NewEndPort", false, "ExternalPort" },
		{ "NewProtocol", false, "PortMappingProtocol" },
		{ "NewManage", false, "A_ARG_TYPE_Manage" } } },
	{ "GetExternalIPAddress", false, {
		{ "NewExternalIPAddress", true, "ExternalIPAddress" } } },
	{ "GetListOfPortMappings", true, {
		{ "NewStartPort", false, "ExternalPort" },
		{ "NewEndPort", false, "ExternalPort" },
		{ "NewProtocol", false, "PortMappingProtocol" },
		{ "NewManage", false, "A_ARG_TYPE_Manage" },
		{ "NewNumberOfPorts", false, "PortMappingNumberOfEntries" },
		{ "NewPortListing", true, "A_ARG_TYPE_PortListing" } } },
};

static const struct action cif_actions[] = {
	{ "GetCommonLinkProperties", false, {
		{ "NewWANAccessType", true, "WANAccessType" },
		{ "NewLayer1UpstreamMaxBitRate", true, "Layer1UpstreamMaxBitRate" },
		{ "NewLayer1DownstreamMaxBitRate", true, "Layer1DownstreamMaxBitRate" },
		{ "NewPhysicalLinkStatus", true, "PhysicalLinkStatus" } } },
	{ "GetTotalBytesSent", false, { { "NewTotalBytesSent", true, "TotalBytesSent" } } },
	{ "GetTotalBytesReceived", false, { { "NewTotalBytesReceived", true, "TotalBytesReceived" } } },
	{ "GetTotalPacketsSent", false, { { "NewTotalPacketsSent", true, "TotalPacketsSent" } } },
	{ "GetTotalPacketsReceived", false, { { "NewTotalPacketsReceived", true, "TotalPacketsReceived" } } },
};

struct var {
	const char *name;
	const char *type;
	bool v2_only;
	const char *extra;	/* allowedValueList and the like */
};

static const struct var ipconn_vars[] = {
	{ "ConnectionType", "string", false, NULL },
	{ "PossibleConnectionTypes", "string", false,
	  "<allowedValueList><allowedValue>IP_Routed</allowedValue></allowedValueList>" },
	{ "ConnectionStatus", "string", false,
	  "<allowedValueList><allowedValue>Unconfigured</allowedValue>"
	  "<allowedValue>Connected</allowedValue><allowedValue>Disconnected"
	  "</allowedValue></allowedValueList>" },
	{ "Uptime", "ui4", false, NULL },
	{ "LastConnectionError", "string", false,
	  "<allowedValueList><allowedValue>ERROR_NONE</allowedValue>"
	  "<allowedValue>ERROR_IP_CONFIGURATION</allowedValue></allowedValueList>" },
	{ "RSIPAvailable", "boolean", false, NULL },
	{ "NATEnabled", "boolean", false, NULL },
	{ "ExternalIPAddress", "string", false, NULL },
	{ "PortMappingNumberOfEntries", "ui2", false, NULL },
	{ "PortMappingEnabled", "boolean", false, NULL },
	{ "PortMappingLeaseDuration", "ui4", false, NULL },
	{ "RemoteHost", "string", false, NULL },
	{ "ExternalPort", "ui2", false, NULL },
	{ "InternalPort", "ui2", false,
	  "<allowedValueRange><minimum>1</minimum><maximum>65535</maximum></allowedValueRange>" },
	{ "PortMappingProtocol", "string", false,
	  "<allowedValueList><allowedValue>TCP</allowedValue>"
	  "<allowedValue>UDP</allowedValue></allowedValueList>" },
	{ "InternalClient", "string", false, NULL },
	{ "PortMappingDescription", "string", false, NULL },
	{ "A_ARG_TYPE_Manage", "boolean", true, NULL },
	{ "A_ARG_TYPE_PortListing", "string", true, NULL },
};

static const struct var cif_vars[] = {
	{ "WANAccessType", "string", false,
	  "<allowedValueList><allowedValue>Ethernet</allowedValue></allowedValueList>" },
	{ "Layer1UpstreamMaxBitRate", "ui4", false, NULL },
	{ "Layer1DownstreamMaxBitRate", "ui4", false, NULL },
	{ "PhysicalLinkStatus", "string", false,
	  "<allowedValueList><allowedValue>Up</allowedValue>"
	  "<allowedValue>Down</allowedValue></allowedValueList>" },
	{ "TotalBytesSent", "ui4", false, NULL },
	{ "TotalBytesReceived", "ui4", false, NULL },
	{ "TotalPacketsSent", "ui4", false, NULL },
	{ "TotalPacketsReceived", "ui4", false, NULL },
};

static void scpd(struct sbuf *b, const struct action *acts, size_t nacts,
		 const struct var *vars, size_t nvars, bool v2)
{
	size_t i, j;

	sb_printf(b, "<?xml version=\"1.0\"?>\r\n<scpd xmlns=\"" URN "service-1-0\">"
		  "<specVersion><major>1</major><minor>%d</minor></specVersion>"
		  "<actionList>", v2 ? 1 : 0);
	for (i = 0; i < nacts; i++) {
		if (acts[i].v2_only && !v2)
			continue;
		sb_printf(b, "<action><name>%s</name>", acts[i].name);
		if (acts[i].args[0].name)
			sb_printf(b, "<argumentList>");
		for (j = 0; j < 9 && acts[i].args[j].name; j++)
			sb_printf(b, "<argument><name>%s</name><direction>%s"
				  "</direction><relatedStateVariable>%s"
				  "</relatedStateVariable></argument>",
				  acts[i].args[j].name,
				  acts[i].args[j].out ? "out" : "in",
				  acts[i].args[j].var);
		if (acts[i].args[0].name)
			sb_printf(b, "</argumentList>");
		sb_printf(b, "</action>");
	}
	sb_printf(b, "</actionList><serviceStateTable>");
	for (i = 0; i < nvars; i++) {
		if (vars[i].v2_only && !v2)
			continue;
		sb_printf(b, "<stateVariable sendEvents=\"no\"><name>%s</name>"
			  "<dataType>%s</dataType>%s</stateVariable>",
			  vars[i].name, vars[i].type,
			  vars[i].extra ? vars[i].extra : "");
	}
	sb_printf(b, "</serviceStateTable></scpd>\r\n");
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *desc_scpd(const char *path)
{
	static char ip1[16384], ip2[16384], cif[8192];
	static bool built;

	if (!built) {
		struct sbuf b;

		sb_init(&b, ip1, sizeof(ip1));
		scpd(&b, ipconn_actions, N(ipconn_actions), ipconn_vars,
		     N(ipconn_vars), false);
		sb_init(&b, ip2, sizeof(ip2));
		scpd(&b, ipconn_actions, N(ipconn_actions), ipconn_vars,
		     N(ipconn_vars), true);
		sb_init(&b, cif, sizeof(cif));
		scpd(&b, cif_actions, N(cif_actions), cif_vars, N(cif_vars),
		     false);
		built = true;
	}
	if (!strcmp(path, DESC_IPCONN1))
		return ip1;
	if (!strcmp(path, DESC_IPCONN2))
		return ip2;
	if (!strcmp(path, DESC_CIF))
		return cif;
	return NULL;
}
