package twin

import "testing"

// isPublicFQDN answers as comparing with publicFQDN does.
func TestIsPublicFQDN(t *testing.T) {
	c := &Cluster{APIFQDN: "aks-1-abc.privatelink.westeurope.azmk8s.io", Region: "westeurope"}
	for _, name := range []string{
		c.publicFQDN(), "aks-1-abc.hcp.westeurope.azmk8s.io.", "aks-1-ab.hcp.westeurope.azmk8s.io",
		"aks-1-abc.hcp.westeurope2.azmk8s.io", "aks-1-abc.hcp.westeurop.azmk8s.io", "aks-1-abc.westeurope.azmk8s.io", "",
	} {
		if got, want := c.isPublicFQDN(name), name == c.publicFQDN(); got != want {
			t.Errorf("isPublicFQDN(%q) = %v, want %v", name, got, want)
		}
	}
	if c := (&Cluster{Region: "x"}); !c.isPublicFQDN(c.publicFQDN()) {
		t.Errorf("no API FQDN: %q not recognised", c.publicFQDN())
	}
}
