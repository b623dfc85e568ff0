package twin

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// PoolCluster returns the first cluster (in Clusters order) with a node
// pool whose client is named name ("node pool <cluster>/<pool>", as
// NodePool.Client names it), or nil. While a Memoize scope is open the
// answer comes from an index built on first use (verify asks it for every
// node pool and registry: a scan of every pool of every cluster each
// time was quadratic); otherwise the clusters are scanned.
func (t *Twin) PoolCluster(name string) *Cluster {
	if t.clientDNS == nil {
		return t.scanPoolCluster(name)
	}
	if t.poolClusters == nil {
		t.poolClusters = map[string]*Cluster{}
		for _, cl := range t.Clusters {
			for _, p := range cl.Pools {
				k := "node pool " + cl.Name + "/" + p.Name
				if _, ok := t.poolClusters[k]; !ok {
					t.poolClusters[k] = cl
				}
			}
		}
	}
	return t.poolClusters[name]
}

func (t *Twin) scanPoolCluster(name string) *Cluster {
	for _, cl := range t.Clusters {
		for _, p := range cl.Pools {
			if name == "node pool "+cl.Name+"/"+p.Name {
				return cl
			}
		}
	}
	return nil
}

// IssuerCluster returns the first cluster (in Clusters order) whose OIDC
// issuer is issuer: the same arm.Unknown (Unknown.Same), or the same URL
// up to case and a trailing slash; nil if none. While a Memoize scope is
// open, candidates come from an index built on first use (verify asks it
// for every federated credential: quadratic as a scan) and each is
// confirmed with the same comparison the scan makes.
func (t *Twin) IssuerCluster(issuer any) *Cluster {
	if t.clientDNS == nil {
		return t.scanIssuerCluster(issuer)
	}
	if t.issuers == nil {
		t.issuers = map[string][]int{}
		for i, c := range t.Clusters {
			for _, k := range issuerKeys(c.Issuer, true) {
				t.issuers[k] = append(t.issuers[k], i)
			}
		}
	}
	keys := issuerKeys(issuer, false)
	if keys == nil {
		return t.scanIssuerCluster(issuer)
	}
	best := -1
	for _, k := range keys {
		for _, i := range t.issuers[k] {
			if (best < 0 || i < best) && sameIssuer(t.Clusters[i].Issuer, issuer) {
				best = i
				break // the lists are in Clusters order
			}
		}
	}
	if best < 0 {
		return nil
	}
	return t.Clusters[best]
}

func (t *Twin) scanIssuerCluster(issuer any) *Cluster {
	for _, c := range t.Clusters {
		if sameIssuer(c.Issuer, issuer) {
			return c
		}
	}
	return nil
}

// sameIssuer reports whether a cluster's issuer c is the issuer a
// credential trusts.
func sameIssuer(c, issuer any) bool {
	switch is := issuer.(type) {
	case arm.Unknown:
		u, ok := c.(arm.Unknown)
		return ok && u.Same(is)
	case string:
		s, ok := c.(string)
		return ok && strings.EqualFold(strings.TrimSuffix(s, "/"), strings.TrimSuffix(is, "/"))
	}
	return false
}

// issuerKeys are the index keys of an issuer: a cluster's issuer is filed
// under every key a matching credential's issuer could look it up by.
// Unknowns that are Same have equal Ref keys when either has a Ref, equal
// Exprs otherwise; ASCII URLs equal up to case have equal lower-case
// forms, and a URL with other characters (which EqualFold may match with
// an ASCII one) is filed under "s?", which every URL looks at. For a
// credential's issuer that is not ASCII, or of a type no cluster's issuer
// matches, issuerKeys returns nil: IssuerCluster scans.
func issuerKeys(issuer any, cluster bool) []string {
	switch is := issuer.(type) {
	case arm.Unknown:
		ks := []string{"r:" + is.Ref.Key()}
		if is.Ref == "" {
			ks = append(ks, "e:"+is.Expr)
		}
		return ks
	case string:
		s := strings.TrimSuffix(is, "/")
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				if cluster {
					return []string{"s?"}
				}
				return nil
			}
		}
		if cluster {
			return []string{"s:" + strings.ToLower(s)}
		}
		return []string{"s:" + strings.ToLower(s), "s?"}
	}
	return nil
}
