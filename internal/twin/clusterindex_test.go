package twin

import (
	"net/netip"
	"testing"

	"github.com/privaks/privaks/internal/arm"
)

// TestClusterIndexesAnswerAsScans: inside a Memoize scope PoolCluster and
// IssuerCluster answer from indexes exactly what the scans outside one
// answer: the first cluster in order (two clusters of one name, two of
// one issuer), issuers as Unknowns with and without Ref (Ref compared as
// an ID, Path case-insensitively, Expr exactly) and as URLs (case, a
// trailing slash, and a non-ASCII URL that matches an ASCII one up to
// case: the Kelvin sign).
func TestClusterIndexesAnswerAsScans(t *testing.T) {
	const rg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/"
	u := func(ref, path, expr string) arm.Unknown {
		return arm.Unknown{Ref: arm.ResourceID(ref), Path: path, Expr: expr}
	}
	issuers := []any{
		u(rg+"a", "oidcIssuerProfile.issuerURL", "reference(a)"),
		u(rg+"A", "OIDCISSUERPROFILE.issuerURL", "other"), // Same as the first
		u("", "", "reference(b)"),
		u("/", "p", "x"),
		"https://oidc.example/k/",
		"https://OIDC.example/K",
		"https://oidc.example/\u212A", // Kelvin sign: EqualFold with k
		nil,
		42,
	}
	tw := &Twin{}
	for i, is := range issuers {
		c := &Cluster{Name: []string{"c0", "c1", "c0", "c3", "c4", "c5", "c6", "c7", "c8"}[i], Issuer: is}
		c.Pools = []*NodePool{{Name: "p", Cluster: c}, {Name: []string{"q", "p"}[i%2], Cluster: c}}
		tw.Clusters = append(tw.Clusters, c)
	}
	queries := append([]any{}, issuers...)
	queries = append(queries, u(rg+"a/", "oidcissuerprofile.issuerurl", ""), u("", "", "other"), u("", "p", "y"), u("", "q", "reference(b)"),
		"https://oidc.example/k", "https://oidc.example/\u212a/", "HTTPS://OIDC.EXAMPLE/k/", "https://oidc.example/", "", "x")
	names := []string{"node pool c0/p", "node pool c0/q", "node pool c1/p", "node pool c3/p", "node pool c3/q", "node pool c8/p", "node pool none/p", ""}
	want := map[any]*Cluster{}
	wantPool := map[string]*Cluster{}
	for _, q := range queries {
		want[q] = tw.IssuerCluster(q)
	}
	for _, n := range names {
		wantPool[n] = tw.PoolCluster(n)
	}
	if want[issuers[1]] != tw.Clusters[0] || want["https://oidc.example/k"] != tw.Clusters[4] || want["https://oidc.example/\u212a/"] != tw.Clusters[4] {
		t.Fatalf("scan: the first matching cluster expected, got %v %v %v", want[issuers[1]], want["https://oidc.example/k"], want["https://oidc.example/\u212a/"])
	}
	if wantPool["node pool c0/p"] != tw.Clusters[0] || wantPool["node pool c0/q"] != tw.Clusters[0] || wantPool["node pool c3/p"] != tw.Clusters[3] || wantPool["node pool c3/q"] != nil {
		t.Fatalf("scan: pools %v", wantPool)
	}
	done := tw.Memoize()
	for _, q := range queries {
		if got := tw.IssuerCluster(q); got != want[q] {
			t.Errorf("IssuerCluster(%#v) = %v, want %v", q, got, want[q])
		}
	}
	for _, n := range names {
		if got := tw.PoolCluster(n); got != wantPool[n] {
			t.Errorf("PoolCluster(%q) = %v, want %v", n, got, wantPool[n])
		}
	}
	if tw.issuers == nil || tw.poolClusters == nil {
		t.Errorf("no index inside the Memoize scope")
	}
	done()
	if tw.issuers != nil || tw.poolClusters != nil {
		t.Errorf("indexes kept after the scope closed")
	}
}

// TestPublicFQDNIndex: public DNS finds the same cluster for a public
// FQDN inside a Memoize scope (from the index) as outside (a scan): the
// first one in order whose endpoint answers, none for a public cluster
// or one without the public FQDN.
func TestPublicFQDNIndex(t *testing.T) {
	pe := func(ip string) *PrivateEndpoint {
		return &PrivateEndpoint{NICs: []*NIC{{IP: netip.MustParseAddr(ip)}}}
	}
	tw := &Twin{Clusters: []*Cluster{
		{Name: "public", APIFQDN: "a.hcp.eastus.azmk8s.io", Region: "eastus", PublicFQDN: true},
		{Name: "off", APIFQDN: "b.privatelink.eastus.azmk8s.io", Region: "eastus", APIEndpoint: pe("10.0.0.1")},
		{Name: "b1", APIFQDN: "b.privatelink.eastus.azmk8s.io", Region: "eastus", PublicFQDN: true, APIEndpoint: pe("10.0.0.2")},
		{Name: "b2", APIFQDN: "b.x", Region: "eastus", PublicFQDN: true, APIEndpoint: pe("10.0.0.3")},
		{Name: "none", APIFQDN: "c.hcp.westus.azmk8s.io", Region: "westus", DNSMode: "none", APIEndpoint: pe("10.0.0.4")},
	}}
	names := []string{"a.hcp.eastus.azmk8s.io", "b.hcp.eastus.azmk8s.io", "c.hcp.westus.azmk8s.io", "b.hcp.westus.azmk8s.io", "b.hcp.eastus.azmk8s.io.", ""}
	want := map[string]*Cluster{}
	for _, n := range names {
		want[n] = tw.publicFQDNCluster(n)
	}
	if want["b.hcp.eastus.azmk8s.io"] != tw.Clusters[2] || want["c.hcp.westus.azmk8s.io"] != tw.Clusters[4] || want["a.hcp.eastus.azmk8s.io"] != nil {
		t.Fatalf("scan: %v", want)
	}
	defer tw.Memoize()()
	for _, n := range names {
		if got := tw.publicFQDNCluster(n); got != want[n] {
			t.Errorf("publicFQDNCluster(%q) = %v, want %v", n, got, want[n])
		}
	}
	if tw.publicFQDNs == nil {
		t.Errorf("no index inside the Memoize scope")
	}
}
