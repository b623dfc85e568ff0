package check

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Readers of evaluated values. A value that is an arm.Unknown is reported
// as unknown so that rules can skip it (or say so at Info) instead of
// treating it as a violation.

// value is a property read from a resource: its value, and whether it is
// unknown before deployment.
type value struct {
	v       any
	unknown bool
}

func prop(r *arm.Resource, path string) value {
	if r == nil {
		return value{}
	}
	v := r.Prop(path)
	_, unk := v.(arm.Unknown)
	return value{v: v, unknown: unk}
}

func (v value) set() bool { return v.v != nil && !v.unknown }

func (v value) str() string {
	s, _ := v.v.(string)
	if v.unknown {
		return ""
	}
	return s
}

// boolean returns the value as a bool and whether it was a known bool.
func (v value) boolean() (bool, bool) {
	if v.unknown {
		return false, false
	}
	switch t := v.v.(type) {
	case bool:
		return t, true
	case string:
		b, err := strconv.ParseBool(t)
		return b, err == nil
	}
	return false, false
}

func (v value) integer() (int, bool) {
	if v.unknown {
		return 0, false
	}
	switch t := v.v.(type) {
	case float64:
		return int(t), true
	case int:
		return t, true
	case int64:
		return int(t), true
	case string:
		n, err := strconv.Atoi(t)
		return n, err == nil
	}
	return 0, false
}

func (v value) list() []any {
	l, _ := v.v.([]any)
	return l
}

// isUnknown reports whether v is an arm.Unknown. Strings that merely look
// like expressions ("[subscription id]" placeholders) are literals.
func isUnknown(v any) bool { _, ok := v.(arm.Unknown); return ok }

// res returns the set's resource with the given ID, or nil.
func (c *Context) res(id arm.ResourceID) *arm.Resource { return c.Twin.Set.Get(id) }

// at builds a finding on resource id.
func at(id arm.ResourceID, format string, args ...any) Finding {
	return Finding{Resource: string(id), Message: fmt.Sprintf(format, args...)}
}

// undecided is the Info finding for a value unknown before deployment.
func undecided(id arm.ResourceID, what string) Finding {
	return Finding{Resource: string(id), Severity: Info, Message: what + ": cannot decide before deployment (the value is only known once deployed)"}
}

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func parsePrefix(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

// usable returns the addresses Azure lets a subnet use: all but five
// (network, three reserved, broadcast).
func usable(p netip.Prefix) int {
	bits := p.Addr().BitLen() - p.Bits()
	if bits >= 31 {
		return 1 << 30
	}
	return 1<<bits - 5
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Documentation URLs the rules cite (azure-rules.md source list).
const (
	docNames         = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules"
	docAKSTrouble    = "https://learn.microsoft.com/azure/aks/troubleshooting"
	docIPPlanning    = "https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning"
	docCNIOverview   = "https://learn.microsoft.com/azure/aks/concepts-network-cni-overview"
	docLegacyCNI     = "https://learn.microsoft.com/azure/aks/concepts-network-legacy-cni"
	docOverlay       = "https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-overlay"
	docAppGwFrontend = "https://learn.microsoft.com/azure/application-gateway/configuration-frontend-ip"
	docKubenet       = "https://learn.microsoft.com/azure/aks/configure-kubenet"
	docPeering       = "https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview"
	docBastionCfg    = "https://learn.microsoft.com/azure/bastion/configuration-settings"
	docBastionNSG    = "https://learn.microsoft.com/azure/bastion/bastion-nsg"
	docAppGwInfra    = "https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure"
	docResolver      = "https://learn.microsoft.com/azure/dns/dns-private-resolver-overview"
	docPE            = "https://learn.microsoft.com/azure/private-link/private-endpoint-overview"
	docPEDNS         = "https://learn.microsoft.com/azure/private-link/private-endpoint-dns"
	docACRPL         = "https://learn.microsoft.com/azure/container-registry/container-registry-private-link"
	docPrivateAKS    = "https://learn.microsoft.com/azure/aks/private-clusters"
	docZone          = "https://learn.microsoft.com/azure/dns/private-dns-privatednszone"
	docZoneLinks     = "https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links"
	docNameRes       = "https://learn.microsoft.com/azure/virtual-network/virtual-networks-name-resolution-for-vms-and-role-instances"
	docKVPL          = "https://learn.microsoft.com/azure/key-vault/general/private-link-service"
	docDeps          = "https://learn.microsoft.com/azure/azure-resource-manager/templates/resource-dependency"
	docMI            = "https://learn.microsoft.com/azure/aks/managed-identity-overview"
	docACRInteg      = "https://learn.microsoft.com/azure/aks/cluster-container-registry-integration"
	docKVRBAC        = "https://learn.microsoft.com/azure/key-vault/general/rbac-guide"
	docWIDeploy      = "https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster"
	docWIOverview    = "https://learn.microsoft.com/azure/aks/workload-identity-overview"
	docPodIdentity   = "https://learn.microsoft.com/azure/aks/use-azure-ad-pod-identity"
	docKVNetwork     = "https://learn.microsoft.com/azure/key-vault/general/network-security"
	docKVSoftDelete  = "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview"
	docKVAccess      = "https://learn.microsoft.com/azure/key-vault/general/access-control-default"
	docNSG           = "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview"
	docPrivConnect   = "https://learn.microsoft.com/azure/aks/private-cluster-connect"
	docOutbound      = "https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access"
	docAKSEgress     = "https://learn.microsoft.com/azure/aks/outbound-rules-control-egress"
	docBicepTypes    = "https://github.com/Azure/bicep-types-az"
	docDNSFAQ        = "https://learn.microsoft.com/azure/dns/dns-faq-private"
)
