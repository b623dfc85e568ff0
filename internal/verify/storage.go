package verify

import (
	"fmt"
	"slices"

	"github.com/privaks/privaks/internal/twin"
)

// storageIntents: every client in a VNet the design connects to a storage
// account's private endpoint (the endpoint's own VNet or one peered with
// it both ways) resolves each service with an endpoint to the endpoint's
// private address — through the privatelink CNAME and zone — and reaches
// it on 443; and the Internet does not reach any account.
func storageIntents(t *twin.Twin, clients []twin.Client) []Intent {
	var out []Intent
	// A client is connected to an endpoint only if it is in the
	// endpoint's VNet or in one the endpoint's VNet peers with: index the
	// clients by the key of their VNet and ask connectedTo only of those,
	// instead of every client for every account (quadratic: an estate of
	// 10,000 spokes, a storage account and a cluster in each, asked it
	// 10^8 times).
	byVNet := map[string][]int{}
	for i, c := range clients {
		if c.Subnet != nil {
			k := c.Subnet.VNet.ID.Key()
			byVNet[k] = append(byVNet[k], i)
		}
	}
	for _, s := range t.Storage {
		for _, svc := range twin.StorageServices {
			pes := s.ServiceEndpoints(svc)
			if len(pes) == 0 {
				continue
			}
			for _, i := range candidates(pes, byVNet) {
				if c := clients[i]; connectedTo(c, pes) {
					out = append(out, storageIntent(s, svc, pes, c))
				}
			}
		}
		out = append(out, Intent{Name: "Internet ↛ storage account " + s.Name, From: "Internet", To: s.Name,
			Check: func(t *twin.Twin, r *Result) {
				if s.PublicAccess {
					r.fail("exposure", "storage account %s accepts Internet traffic: %s", s.Name, s.PublicWhy)
					return
				}
				r.ok("exposure", "storage account %s: %s", s.Name, s.PublicWhy)
			}})
	}
	return out
}

// candidates returns, in ascending order, the indices in byVNet of the
// clients in a VNet that holds one of the endpoints or that one of those
// VNets has a peering to: the only clients connectedTo can accept
// (twin.Connected requires a peering each way).
func candidates(pes []*twin.PrivateEndpoint, byVNet map[string][]int) []int {
	var out []int
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, byVNet[k]...)
		}
	}
	for _, pe := range pes {
		if pe.Subnet == nil {
			continue
		}
		add(pe.Subnet.VNet.ID.Key())
		for _, p := range pe.Subnet.VNet.Peerings {
			add(p.RemoteID.Key())
		}
	}
	slices.Sort(out)
	return out
}

// connectedTo reports whether c's VNet holds one of the endpoints or is
// peered both ways with a VNet that does.
func connectedTo(c twin.Client, pes []*twin.PrivateEndpoint) bool {
	if c.Subnet == nil {
		return false
	}
	for _, pe := range pes {
		if pe.Subnet == nil {
			continue
		}
		if pe.Subnet.VNet == c.Subnet.VNet {
			return true
		}
		if ok, _ := twin.Connected(c.Subnet.VNet, pe.Subnet.VNet); ok {
			return true
		}
	}
	return false
}

func storageIntent(s *twin.StorageAccount, svc string, pes []*twin.PrivateEndpoint, from twin.Client) Intent {
	fqdn := s.FQDN(svc)
	to := fqdn + ":443"
	if fqdn == "" {
		to = s.Name + " static website:443"
	}
	return Intent{
		Name: fmt.Sprintf("%s → storage %s (%s)", from.Name, s.Name, svc), From: from.Name, To: to,
		Check: func(t *twin.Twin, r *Result) {
			if !inSet(from, r) {
				return
			}
			if fqdn == "" {
				r.outside("the static website name of %s (%s.z<N>.web.core.windows.net) carries a zone number Azure assigns at creation: cannot decide its resolution offline", s.Name, s.Name)
				return
			}
			want := endpointAddrs(pes, 0)
			if resolvePrivate(t, from, fqdn, want, r) {
				reachTCP(t, from, want[0], 443, fqdn, r)
			}
		},
	}
}
