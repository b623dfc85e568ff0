package compile

func stdSKU() map[string]any { return map[string]any{"name": "Standard", "tier": "Regional"} }

func publicIPProps() map[string]any {
	return map[string]any{"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"}
}

// bastion writes Azure Bastion (Standard, native-client tunnelling on, so
// `az network bastion ssh` works) with its static Standard public IP.
func (b *builder) bastion() {
	b.resource(tPIP, apiNetwork, nPIPBastion, publicIPProps()).SKU = stdSKU()
	bas := b.resource(tBastion, apiNetwork, nBastion, map[string]any{
		"enableTunneling": true,
		"ipConfigurations": []any{map[string]any{
			"name": "ipconfig",
			"properties": map[string]any{
				"subnet":          idOf(tSubnet, nHub, nBastionSub),
				"publicIPAddress": idOf(tPIP, nPIPBastion),
			},
		}},
	})
	bas.SKU = map[string]any{"name": "Standard"}
}

// appGateway writes the WAF policy and a WAF_v2 Application Gateway with a
// public frontend (static Standard public IP) and a private frontend (static
// IP in its subnet), one listener each on different ports. AGIC takes over
// listeners and rules once the cluster runs; these are the initial ones.
func (b *builder) appGateway() {
	d := b.d
	b.resource(tWAFPolicy, apiNetwork, nWAF, map[string]any{
		"policySettings": map[string]any{
			"state": "Enabled", "mode": d.WAFMode, "requestBodyCheck": true,
		},
		"managedRules": map[string]any{
			"managedRuleSets": []any{map[string]any{"ruleSetType": "Microsoft_DefaultRuleSet", "ruleSetVersion": "2.1"}},
		},
	})
	b.resource(tPIP, apiNetwork, nPIPAppGw, publicIPProps()).SKU = stdSKU()
	sub := func(kind, name string) map[string]any { return idOf(tAppGw+"/"+kind, nAppGw, name) }
	listener := func(name, fe, port string) map[string]any {
		return map[string]any{"name": name, "properties": map[string]any{
			"frontendIPConfiguration": sub("frontendIPConfigurations", fe),
			"frontendPort":            sub("frontendPorts", port),
			"protocol":                "Http",
		}}
	}
	routing := func(name, lis string, prio int) map[string]any {
		return map[string]any{"name": name, "properties": map[string]any{
			"ruleType":            "Basic",
			"priority":            prio,
			"httpListener":        sub("httpListeners", lis),
			"backendAddressPool":  sub("backendAddressPools", "pool-default"),
			"backendHttpSettings": sub("backendHttpSettingsCollection", "http-default"),
		}}
	}
	b.resource(tAppGw, apiNetwork, nAppGw, map[string]any{
		"sku":                    map[string]any{"name": "WAF_v2", "tier": "WAF_v2"},
		"autoscaleConfiguration": map[string]any{"minCapacity": d.AppGwMin, "maxCapacity": d.AppGwMax},
		"firewallPolicy":         idOf(tWAFPolicy, nWAF),
		"sslPolicy":              map[string]any{"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101S"},
		"gatewayIPConfigurations": []any{map[string]any{
			"name": "gateway-ipconfig", "properties": map[string]any{"subnet": idOf(tSubnet, nSpoke, nAppGwSub)},
		}},
		"frontendIPConfigurations": []any{
			map[string]any{"name": nFEPublic, "properties": map[string]any{"publicIPAddress": idOf(tPIP, nPIPAppGw)}},
			map[string]any{"name": nFEPrivate, "properties": map[string]any{
				"privateIPAllocationMethod": "Static",
				"privateIPAddress":          d.AppGwPrivateIP.String(),
				"subnet":                    idOf(tSubnet, nSpoke, nAppGwSub),
			}},
		},
		"frontendPorts": []any{
			map[string]any{"name": nPortPublic, "properties": map[string]any{"port": PublicFrontendPort}},
			map[string]any{"name": nPortPrivate, "properties": map[string]any{"port": PrivateFrontendPort}},
		},
		"backendAddressPools": []any{map[string]any{"name": "pool-default", "properties": map[string]any{}}},
		"backendHttpSettingsCollection": []any{map[string]any{"name": "http-default", "properties": map[string]any{
			"port": 80, "protocol": "Http", "cookieBasedAffinity": "Disabled", "requestTimeout": 30,
		}}},
		"httpListeners": []any{
			listener("listener-public", nFEPublic, nPortPublic),
			listener("listener-private", nFEPrivate, nPortPrivate),
		},
		"requestRoutingRules": []any{
			routing("rule-public", "listener-public", 100),
			routing("rule-private", "listener-private", 200),
		},
	})
}
