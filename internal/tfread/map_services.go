package tfread

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

func registerMapServices(mappings map[string]*mapping) {
	mappings["azurerm_key_vault"] = &mapping{arm: "Microsoft.KeyVault/vaults", api: "2026-02-01",
		id:      simple("Microsoft.KeyVault/vaults"),
		unknown: map[string]string{"vault_uri": "vaultUri"},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			p := res.Properties
			p["tenantId"] = c.a.str("tenant_id")
			p["sku"] = map[string]any{"family": "A", "name": c.a.str("sku_name")}
			p["enableRbacAuthorization"] = c.a.boolOr(false, "rbac_authorization_enabled", "enable_rbac_authorization")
			p["publicNetworkAccess"] = enabled(c.a.boolOr(true, "public_network_access_enabled"))
			p["enablePurgeProtection"] = c.a.boolOr(false, "purge_protection_enabled")
			p["enableSoftDelete"] = true
			p["softDeleteRetentionInDays"] = c.a.num("soft_delete_retention_days")
			if p["softDeleteRetentionInDays"] == nil {
				p["softDeleteRetentionInDays"] = float64(90)
			}
			p["enabledForDeployment"] = c.a.boolOr(false, "enabled_for_deployment")
			p["enabledForDiskEncryption"] = c.a.boolOr(false, "enabled_for_disk_encryption")
			p["enabledForTemplateDeployment"] = c.a.boolOr(false, "enabled_for_template_deployment")
			if acl, ok := c.a.block("network_acls"); ok {
				n := map[string]any{"defaultAction": acl.str("default_action"), "bypass": acl.str("bypass")}
				var ips, vnets []any
				for _, ip := range strs(acl.list("ip_rules")) {
					ips = append(ips, map[string]any{"value": ip})
				}
				for _, id := range strs(acl.list("virtual_network_subnet_ids")) {
					vnets = append(vnets, map[string]any{"id": id})
				}
				n["ipRules"], n["virtualNetworkRules"] = orEmptyList(ips), orEmptyList(vnets)
				p["networkAcls"] = n
			}
			var pols []any
			for _, ap := range c.a.blocks("access_policy") {
				pols = append(pols, accessPolicy(ap))
			}
			p["accessPolicies"] = orEmptyList(pols)
			return nil, nil
		}}
	mappings["azurerm_key_vault_access_policy"] = &mapping{id: mergeID("key_vault_id"),
		merge: func(c *mctx, set *arm.Set) error {
			v := resourceByID(set, c.a.str("key_vault_id"))
			if v == nil {
				return notInSet("key_vault_id", c.a.str("key_vault_id"))
			}
			l, _ := v.Properties["accessPolicies"].([]any)
			v.Properties["accessPolicies"] = append(l, accessPolicy(c.a))
			return nil
		}}
	mappings["azurerm_key_vault_secret"] = &mapping{arm: "Microsoft.KeyVault/vaults/secrets", api: "2026-02-01",
		id: under("key_vault_id", "secrets"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			// The value is never copied: no secret in the set.
			put(res.Properties, "contentType", c.a.str("content_type"))
			return nil, nil
		}}

	mappings["azurerm_container_registry"] = &mapping{arm: "Microsoft.ContainerRegistry/registries", api: "2025-11-01",
		id:      simple("Microsoft.ContainerRegistry/registries"),
		unknown: map[string]string{"login_server": "loginServer"},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			p := res.Properties
			res.SKU = map[string]any{"name": c.a.str("sku")}
			p["adminUserEnabled"] = c.a.boolOr(false, "admin_enabled")
			p["publicNetworkAccess"] = enabled(c.a.boolOr(true, "public_network_access_enabled"))
			p["anonymousPullEnabled"] = c.a.boolOr(false, "anonymous_pull_enabled")
			p["dataEndpointEnabled"] = c.a.boolOr(false, "data_endpoint_enabled")
			p["zoneRedundancy"] = enabled(c.a.boolOr(false, "zone_redundancy_enabled"))
			p["networkRuleBypassOptions"] = c.a.strOr("AzureServices", "network_rule_bypass_option")
			// A retention of N > 0 days is an enabled retention policy; 0
			// or none leaves the policy off (as azurerm sends it).
			if d, ok := c.a.num("retention_policy_in_days").(float64); ok && d > 0 {
				p["policies"] = map[string]any{"retentionPolicy": map[string]any{"days": d, "status": "enabled"}}
			}
			if rs, ok := c.a.block("network_rule_set"); ok {
				n := map[string]any{"defaultAction": rs.str("default_action")}
				var ips []any
				for _, ip := range rs.blocks("ip_rule") {
					ips = append(ips, map[string]any{"action": ip.str("action"), "value": ip.str("ip_range")})
				}
				n["ipRules"] = orEmptyList(ips)
				p["networkRuleSet"] = n
			}
			var extra []*arm.Resource
			for _, g := range c.a.blocks("georeplications") {
				loc := location(g.str("location"))
				if loc == "" {
					return nil, fmt.Errorf("georeplications location is not known")
				}
				extra = append(extra, &arm.Resource{Type: "Microsoft.ContainerRegistry/registries/replications", APIVersion: res.APIVersion,
					Name: res.Name + "/" + loc, ID: arm.ResourceID(string(res.ID) + "/replications/" + loc), Location: loc,
					Properties: map[string]any{"zoneRedundancy": enabled(g.boolOr(false, "zone_redundancy_enabled"))}})
			}
			return extra, nil
		}}

	mappings["azurerm_storage_account"] = &mapping{arm: "Microsoft.Storage/storageAccounts", api: "2025-01-01",
		id:      simple("Microsoft.Storage/storageAccounts"),
		unknown: map[string]string{"primary_blob_endpoint": "primaryEndpoints.blob"},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			p := res.Properties
			res.Kind = str(c.a.strOr("StorageV2", "account_kind"))
			res.SKU = map[string]any{"name": str(c.a.str("account_tier")) + "_" + str(c.a.str("account_replication_type"))}
			p["publicNetworkAccess"] = enabled(c.a.boolOr(true, "public_network_access_enabled"))
			p["allowBlobPublicAccess"] = c.a.boolOr(true, "allow_nested_items_to_be_public")
			if v := c.a.legacy(kBool, "allow_blob_public_access"); v != nil {
				p["allowBlobPublicAccess"] = v
			}
			p["allowSharedKeyAccess"] = c.a.boolOr(true, "shared_access_key_enabled")
			p["supportsHttpsTrafficOnly"] = c.a.boolOr(true, "https_traffic_only_enabled", "enable_https_traffic_only")
			p["minimumTlsVersion"] = c.a.strOr("TLS1_2", "min_tls_version")
			put(p, "isHnsEnabled", c.a.bool("is_hns_enabled"))
			if nr, ok := c.a.block("network_rules"); ok {
				p["networkAcls"] = storageACL(nr)
			}
			return nil, nil
		}}
	mappings["azurerm_storage_account_network_rules"] = &mapping{id: mergeID("storage_account_id"),
		merge: func(c *mctx, set *arm.Set) error {
			s := resourceByID(set, c.a.str("storage_account_id"))
			if s == nil {
				return notInSet("storage_account_id", c.a.str("storage_account_id"))
			}
			s.Properties["networkAcls"] = storageACL(c.a)
			return nil
		}}

	mappings["azurerm_private_dns_zone"] = &mapping{arm: "Microsoft.Network/privateDnsZones", api: apiDNS,
		id: simple("Microsoft.Network/privateDnsZones"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Location = "global"
			return nil, nil
		}}
	mappings["azurerm_private_dns_zone_virtual_network_link"] = &mapping{arm: "Microsoft.Network/privateDnsZones/virtualNetworkLinks", api: apiDNS,
		id: zoneChild("virtualNetworkLinks"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Location = "global"
			res.Properties["virtualNetwork"] = ref(c.a.str("virtual_network_id"))
			res.Properties["registrationEnabled"] = c.a.boolOr(false, "registration_enabled")
			res.Properties["resolutionPolicy"] = c.a.strOr("Default", "resolution_policy")
			return nil, nil
		}}
	mappings["azurerm_private_dns_a_record"] = &mapping{arm: "Microsoft.Network/privateDnsZones/A", api: apiDNS,
		id: zoneChild("A"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			var recs []any
			for _, ip := range strs(c.a.list("records")) {
				recs = append(recs, map[string]any{"ipv4Address": ip})
			}
			res.Properties["ttl"] = c.a.num("ttl")
			res.Properties["aRecords"] = orEmptyList(recs)
			return nil, nil
		}}
	mappings["azurerm_private_dns_cname_record"] = &mapping{arm: "Microsoft.Network/privateDnsZones/CNAME", api: apiDNS,
		id: zoneChild("CNAME"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Properties["ttl"] = c.a.num("ttl")
			res.Properties["cnameRecord"] = map[string]any{"cname": c.a.str("record")}
			return nil, nil
		}}

	mappings["azurerm_private_endpoint"] = &mapping{arm: "Microsoft.Network/privateEndpoints", api: apiNetwork,
		id: simple("Microsoft.Network/privateEndpoints"),
		unknown: map[string]string{"private_service_connection.0.private_ip_address": "customDnsConfigs.0.ipAddresses.0",
			"network_interface.0.id": "networkInterfaces.0.id"},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			p := res.Properties
			p["subnet"] = ref(c.a.str("subnet_id"))
			var auto, manual []any
			for _, sc := range c.a.blocks("private_service_connection") {
				cp := map[string]any{"privateLinkServiceId": sc.str("private_connection_resource_id")}
				if cp["privateLinkServiceId"] == nil {
					cp["privateLinkServiceId"] = sc.str("private_connection_resource_alias")
				}
				put(cp, "groupIds", sc.list("subresource_names"))
				put(cp, "requestMessage", sc.str("request_message"))
				conn := map[string]any{"name": sc.str("name"), "properties": cp}
				if b, _ := sc.bool("is_manual_connection").(bool); b {
					manual = append(manual, conn)
				} else {
					auto = append(auto, conn)
				}
			}
			put(p, "privateLinkServiceConnections", nilIfEmpty(auto))
			put(p, "manualPrivateLinkServiceConnections", nilIfEmpty(manual))
			var ics []any
			for _, ic := range c.a.blocks("ip_configuration") {
				ip := map[string]any{"privateIPAddress": ic.str("private_ip_address")}
				put(ip, "groupId", ic.str("subresource_name"))
				put(ip, "memberName", ic.str("member_name"))
				if ip["memberName"] == nil {
					ip["memberName"] = ic.str("subresource_name")
				}
				ics = append(ics, map[string]any{"name": ic.str("name"), "properties": ip})
			}
			put(p, "ipConfigurations", nilIfEmpty(ics))
			put(p, "customNetworkInterfaceName", c.a.str("custom_network_interface_name"))
			var extra []*arm.Resource
			for _, zg := range c.a.blocks("private_dns_zone_group") {
				name, err := seg(zg.str("name"), "private_dns_zone_group name")
				if err != nil {
					return nil, err
				}
				var cfgs []any
				for _, z := range strs(zg.list("private_dns_zone_ids")) {
					cfgs = append(cfgs, map[string]any{"name": zoneName(z), "properties": map[string]any{"privateDnsZoneId": z}})
				}
				extra = append(extra, &arm.Resource{Type: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", APIVersion: apiNetwork,
					Name: res.Name + "/" + name, ID: arm.ResourceID(string(res.ID) + "/privateDnsZoneGroups/" + name),
					Properties: map[string]any{"privateDnsZoneConfigs": orEmptyList(cfgs)}, DependsOn: []string{string(res.ID)}})
			}
			return extra, nil
		}}

	mappings["azurerm_private_dns_resolver"] = &mapping{arm: "Microsoft.Network/dnsResolvers", api: "2025-05-01",
		id: simple("Microsoft.Network/dnsResolvers"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Properties["virtualNetwork"] = ref(c.a.str("virtual_network_id"))
			return nil, nil
		}}
	mappings["azurerm_private_dns_resolver_inbound_endpoint"] = &mapping{arm: "Microsoft.Network/dnsResolvers/inboundEndpoints", api: "2025-05-01",
		id:      under("private_dns_resolver_id", "inboundEndpoints"),
		unknown: map[string]string{"ip_configurations.0.private_ip_address": "ipConfigurations.0.privateIpAddress"},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			var ics []any
			for _, ic := range c.a.blocks("ip_configurations") {
				m := map[string]any{"subnet": ref(ic.str("subnet_id")), "privateIpAllocationMethod": ic.strOr("Dynamic", "private_ip_allocation_method")}
				put(m, "privateIpAddress", ic.str("private_ip_address"))
				ics = append(ics, m)
			}
			res.Properties["ipConfigurations"] = orEmptyList(ics)
			return nil, nil
		}}
	mappings["azurerm_private_dns_resolver_outbound_endpoint"] = &mapping{arm: "Microsoft.Network/dnsResolvers/outboundEndpoints", api: "2025-05-01",
		id: under("private_dns_resolver_id", "outboundEndpoints"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Properties["subnet"] = ref(c.a.str("subnet_id"))
			return nil, nil
		}}
	mappings["azurerm_private_dns_resolver_dns_forwarding_ruleset"] = &mapping{arm: "Microsoft.Network/dnsForwardingRulesets", api: "2025-05-01",
		id: simple("Microsoft.Network/dnsForwardingRulesets"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			var eps []any
			for _, id := range strs(c.a.list("private_dns_resolver_outbound_endpoint_ids")) {
				eps = append(eps, ref(id))
			}
			res.Properties["dnsResolverOutboundEndpoints"] = orEmptyList(eps)
			return nil, nil
		}}
	mappings["azurerm_private_dns_resolver_forwarding_rule"] = &mapping{arm: "Microsoft.Network/dnsForwardingRulesets/forwardingRules", api: "2025-05-01",
		id: under("dns_forwarding_ruleset_id", "forwardingRules"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Location = ""
			var ts []any
			for _, t := range c.a.blocks("target_dns_servers") {
				ts = append(ts, map[string]any{"ipAddress": t.str("ip_address"), "port": t.num("port")})
			}
			res.Properties["domainName"] = c.a.str("domain_name")
			res.Properties["targetDnsServers"] = orEmptyList(ts)
			res.Properties["forwardingRuleState"] = enabled(c.a.boolOr(true, "enabled"))
			return nil, nil
		}}
	mappings["azurerm_private_dns_resolver_virtual_network_link"] = &mapping{arm: "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks", api: "2025-05-01",
		id: under("dns_forwarding_ruleset_id", "virtualNetworkLinks"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Properties["virtualNetwork"] = ref(c.a.str("virtual_network_id"))
			return nil, nil
		}}
}

func accessPolicy(ap attrs) map[string]any {
	perms := map[string]any{}
	for tf, armName := range map[string]string{"secret_permissions": "secrets", "key_permissions": "keys",
		"certificate_permissions": "certificates", "storage_permissions": "storage"} {
		l := strs(ap.list(tf))
		var out []any
		for _, x := range l {
			if s, ok := x.(string); ok {
				out = append(out, strings.ToLower(s))
			} else {
				out = append(out, x)
			}
		}
		perms[armName] = orEmptyList(out)
	}
	m := map[string]any{"tenantId": ap.str("tenant_id"), "objectId": ap.str("object_id"), "permissions": perms}
	put(m, "applicationId", ap.str("application_id"))
	return m
}

func storageACL(nr attrs) map[string]any {
	n := map[string]any{"defaultAction": nr.str("default_action")}
	var ips, vnets []any
	for _, ip := range strs(nr.list("ip_rules")) {
		ips = append(ips, map[string]any{"value": ip, "action": "Allow"})
	}
	for _, id := range strs(nr.list("virtual_network_subnet_ids")) {
		vnets = append(vnets, map[string]any{"id": id, "action": "Allow"})
	}
	var bypass []string
	for _, b := range strs(nr.list("bypass")) {
		if s, ok := b.(string); ok {
			bypass = append(bypass, s)
		}
	}
	if bypass != nil {
		n["bypass"] = strings.Join(bypass, ", ")
	}
	n["ipRules"], n["virtualNetworkRules"] = orEmptyList(ips), orEmptyList(vnets)
	return n
}

func zoneName(id any) any {
	s, ok := id.(string)
	if !ok {
		return id
	}
	return s[strings.LastIndex(s, "/")+1:]
}

// zoneChild is the ID function of a private DNS zone's child: azurerm 5.x
// names the zone by private_dns_zone_id, 3.x and 4.x by name
// (private_dns_zone_name for links, zone_name for records) and group.
func zoneChild(typ string) func(c *mctx) (arm.ResourceID, error) {
	return func(c *mctx) (arm.ResourceID, error) {
		if c.a.str("private_dns_zone_id") != nil {
			return under("private_dns_zone_id", typ)(c)
		}
		attr := "zone_name"
		if typ == "virtualNetworkLinks" {
			attr = "private_dns_zone_name"
		}
		return c.rgIDIn(c.a.legacy(kString, "resource_group_name"), "Microsoft.Network/privateDnsZones/"+typ, c.a.legacy(kString, attr), c.a.str("name"))
	}
}
