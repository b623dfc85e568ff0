package check

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// Deployment ordering: ARM deploys everything without a dependsOn path
// between them in parallel (azure-rules.md §5, §2.10).

// dnsPrereqs lists what must exist before cluster cl can resolve names:
// the peerings of its VNet, the zone links its DNS path uses, its
// control-plane identity's role assignments and the forwarder's readiness
// extension.
func dnsPrereqs(c *Context, cl *twin.Cluster) (need []arm.ResourceID, why map[arm.ResourceID]string) {
	why = map[arm.ResourceID]string{}
	add := func(id arm.ResourceID, reason string) {
		if c.res(id) == nil || why[id] != "" {
			return
		}
		need = append(need, id)
		why[id] = reason
	}
	var v *twin.VNet
	if len(cl.Pools) > 0 && cl.Pools[0].Subnet != nil {
		v = cl.Pools[0].Subnet.VNet
	}
	if v == nil {
		return nil, why
	}
	for _, p := range v.Peerings {
		add(p.ID, "peering")
		if p.Remote != nil {
			for _, back := range p.Remote.PeeringsTo(v) {
				add(back.ID, "peering")
			}
		}
	}
	vnets := []*twin.VNet{v}
	var server *twin.DNSServer
	if len(v.DNSServers) > 0 {
		server = c.Twin.Server(v.DNSServers[0])
		if server.VNet != nil && server.VNet != v {
			vnets = append(vnets, server.VNet)
		}
	}
	// The zones nodes resolve while they are provisioned: the API
	// server's, and the registry's only when nodes bootstrap from it
	// (bootstrapProfile.artifactSource Cache, network-isolated clusters).
	// Registry and Key Vault names resolved later by pods are retried by
	// the kubelet and the CSI driver, so their links need no ordering.
	needed := map[*twin.Zone]bool{}
	if z, ok := c.Twin.Lookup(cl.PrivateZoneID).(*twin.Zone); ok && cl.DNSMode == "custom" {
		needed[z] = true
	}
	if r := c.res(cl.ID); r != nil && strings.EqualFold(fmt.Sprint(r.Prop("bootstrapProfile.artifactSource")), "Cache") {
		acr := arm.ResourceID(strOf(r.Prop("bootstrapProfile.containerRegistryId")))
		for _, pe := range c.Twin.Endpoints {
			if _, ok := c.Twin.Lookup(pe.Target).(*twin.Registry); ok && (acr == "" || pe.Target.Equal(acr)) {
				for _, z := range pe.Zones {
					needed[z] = true
				}
			}
		}
	}
	for _, lv := range vnets {
		for _, l := range lv.Links {
			if !l.Implicit && needed[l.Zone] {
				add(l.ID, "zone link "+l.Zone.Name+"/")
			}
		}
	}
	for z := range needed {
		if cl.DNSMode == "custom" && z.ID.Equal(cl.PrivateZoneID) {
			for _, l := range c.explicitLinks(z) {
				add(l.ID, "zone link "+z.Name+"/")
			}
		}
	}
	for _, u := range cl.ControlPlaneUAMIs {
		for _, ra := range c.Twin.RolesOf("uami:" + u.Key()) {
			add(ra.ID, "role assignment ("+twin.RoleName(ra.Role)+")")
		}
	}
	if server != nil && (server.Kind == twin.ServerBIND || server.Kind == twin.ServerVM) {
		found := false
		for _, r := range c.Twin.VMExtensions(server.Owner) {
			add(r.ID, "DNS readiness extension")
			found = true
		}
		if !found {
			add(server.Owner, "DNS server VM (it has no readiness extension)")
		}
	}
	return need, why
}

var ruleDNSOrdering = Rule{
	ID: "PVK078", Slug: "aks-created-before-dns", Severity: Error,
	Title:     "The cluster is deployed after everything its DNS depends on",
	Rationale: "ARM creates resources with no dependsOn path between them in parallel. A cluster created before its VNet's peerings, the zone links, its control-plane identity's role assignments and (when the VNet uses a forwarder VM) the forwarder's readiness check fails node provisioning (vmssCSE exit 52, K8SAPIServerDNSLookupFail) or customPrivateDNSZoneMissingPermission, and forwarders may cache the failure.",
	Fix:       "Add the missing resources to the cluster's dependsOn (directly, through a resource it depends on, or through the dependsOn of a nested deployment around it).",
	Doc:       docDeps,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			r := c.res(cl.ID)
			if r == nil {
				continue
			}
			have := c.Twin.DeployedBefore(r.ID)
			need, why := dnsPrereqs(c, cl)
			var missing, elsewhere []string
			origins := c.Twin.Set.Origins
			for _, id := range need {
				key := c.Twin.Set.KeyOf(id)
				// In an estate read from several templates, a prerequisite
				// another template declares is deployed by another
				// deployment: the order of the deployments decides, not
				// dependsOn.
				if origins != nil && origins[key] != origins[c.Twin.Set.KeyOf(cl.ID)] {
					if !have[key] {
						elsewhere = append(elsewhere, lastSegment(id)+" ("+origins[key]+")")
					}
					continue
				}
				if !have[key] {
					sep := " "
					if strings.HasSuffix(why[id], "/") {
						sep = ""
					}
					missing = append(missing, why[id]+sep+lastSegment(id))
				}
			}
			if len(missing) > 0 {
				out = append(out, at(cl.ID, "cluster %s can be created before: %s", cl.Name, strings.Join(missing, ", ")))
			}
			if len(elsewhere) > 0 {
				out = append(out, Finding{Resource: string(cl.ID), Severity: Info, Message: fmt.Sprintf(
					"cluster %s needs resources other templates deploy (%s): deploy those templates first (undecided from the templates)", cl.Name, strings.Join(elsewhere, ", "))})
			}
		}
		return out
	},
}

func strOf(v any) string {
	s, _ := v.(string)
	return s
}

// explicitLinks returns the links of z that the set declares (not
// Implicit), in order, worked out once per zone and run: every cluster of
// an estate shares its AKS zone, whose links grow with the estate.
func (c *Context) explicitLinks(z *twin.Zone) []*twin.ZoneLink {
	if ls, ok := c.zoneLinks[z]; ok {
		return ls
	}
	var ls []*twin.ZoneLink
	for _, l := range z.Links {
		if !l.Implicit {
			ls = append(ls, l)
		}
	}
	if c.zoneLinks == nil {
		c.zoneLinks = map[*twin.Zone][]*twin.ZoneLink{}
	}
	c.zoneLinks[z] = ls
	return ls
}
