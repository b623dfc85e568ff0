package check

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// Deprecations: features and API versions Azure retires (azure-rules.md
// §2.8, §3, §4, §2.10).

var ruleKubenet = Rule{
	ID: "PVK160", Slug: "kubenet-retirement", Severity: Warning,
	Title:     "AKS does not use kubenet",
	Rationale: "kubenet networking retires on 2028-03-31; kubenet clusters must move to Azure CNI Overlay, and the migration replaces the network profile.",
	Fix:       "Create the cluster with networkPlugin azure and networkPluginMode overlay.",
	Doc:       docKubenet,
	Check: clusterCheck(func(cl *twin.Cluster, _ *arm.Resource) string {
		if strings.EqualFold(cl.NetworkPlugin, "kubenet") {
			return "cluster " + cl.Name + " uses kubenet, which retires on 2028-03-31"
		}
		return ""
	}),
}

var ruleDockerBridge = Rule{
	ID: "PVK161", Slug: "docker-bridge-cidr", Severity: Warning,
	Title:     "networkProfile.dockerBridgeCidr is not set",
	Rationale: "dockerBridgeCidr has been ignored since containerd replaced Docker as the node runtime and was removed from the managedClusters API in 2023-04-01; sending it with a newer API version may be rejected.",
	Fix:       "Delete networkProfile.dockerBridgeCidr.",
	Doc:       docIPPlanning,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if cl.DockerBridgeCIDR == "" && !prop(c.res(cl.ID), "networkProfile.dockerBridgeCidr").unknown {
				continue
			}
			f := at(cl.ID, "cluster %s sets dockerBridgeCidr (ignored since containerd)", cl.Name)
			if cl.APIVersion >= "2023-04-01" {
				f.Severity = Error
				f.Message += "; API version " + cl.APIVersion + " no longer has the property"
			}
			out = append(out, f)
		}
		return out
	},
}

// retirements are API versions with an announced retirement date.
var retirements = []struct {
	typ, before, date string
}{
	{"Microsoft.KeyVault/vaults", "2026-02-01", "2027-02-27"},
	{"Microsoft.KeyVault/vaults/secrets", "2026-02-01", "2027-02-27"},
}

var ruleAPIRetirement = Rule{
	ID: "PVK162", Slug: "api-version-retiring", Severity: Warning,
	Title:     "Resources use API versions that are not retiring",
	Rationale: "Key Vault API versions before 2026-02-01 retire on 2027-02-27; deployments using them then fail. Note that 2026-02-01 also changes the default authorization to RBAC.",
	Fix:       "Move to the current API version (and set enableRbacAuthorization explicitly).",
	Doc:       docKVAccess,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, r := range c.Twin.Set.Resources {
			for _, ret := range retirements {
				if r.Is(ret.typ) && r.APIVersion < ret.before && r.APIVersion != "" {
					out = append(out, at(r.ID, "%s uses %s API %s, which retires on %s", r.Name, ret.typ, r.APIVersion, ret.date))
				}
			}
		}
		return out
	},
}

var rulePreviewAPI = Rule{
	ID: "PVK163", Slug: "preview-api-version", Severity: Info,
	Title:     "Resources use stable API versions",
	Rationale: "Preview API versions can change or disappear without the usual notice and are not covered by support; a landing zone should pin stable versions.",
	Fix:       "Use the latest stable API version of the resource type.",
	Doc:       docBicepTypes,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, r := range c.Twin.Set.Resources {
			if strings.HasSuffix(strings.ToLower(r.APIVersion), "-preview") {
				out = append(out, at(r.ID, "%s uses preview API version %s", r.Name, r.APIVersion))
			}
		}
		return out
	},
}

var ruleDefaultOutbound = Rule{
	ID: "PVK164", Slug: "default-outbound-access", Severity: Warning,
	Absent:    []string{"Microsoft.Network/natGateways", "Microsoft.Network/publicIPAddresses", "Microsoft.Network/routeTables", "Microsoft.Network/routeTables/routes", "Microsoft.Network/loadBalancers", "Microsoft.Network/virtualNetworks/subnets", "Microsoft.Network/networkInterfaces"},
	Title:     "VMs do not rely on default outbound access",
	Rationale: "Default outbound access (an implicit public IP for VMs without an explicit method) is being retired: VNets created with API versions from 2025-07-01 have private subnets. A VM that gets to the Internet only that way loses it when the VNet is recreated with a current API.",
	Fix:       "Attach a NAT gateway to the subnet (or route 0.0.0.0/0 to a firewall) and set defaultOutboundAccess: false.",
	Doc:       docOutbound,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.subnets() {
			relies := (s.DefaultOutbound != nil && *s.DefaultOutbound) || (s.DefaultOutbound == nil && s.APIVersion < "2025-07-01")
			if !relies || s.NAT != nil || defaultRoute(s) {
				continue
			}
			for _, n := range c.use(s).nics {
				if vm := c.vmOf(n.Owner); vm != "" && n.PublicIP == nil {
					out = append(out, at(n.Owner, "VM %s in subnet %s reaches the Internet only through default outbound access", vm, s.Name))
				}
			}
		}
		return out
	},
}
