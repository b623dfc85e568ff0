package twin

// This file exports the model's DNS servers so that tests can stand real
// DNS servers in for them: the BIND differential test (package twintest)
// serves exactly what the model says 168.63.129.16 answers in a VNet, and
// what public DNS answers, then checks that real named, fed those answers,
// ends where Resolve predicts.

// Answer is one record of an answer chain as the model computes it.
type Answer struct {
	Name  string // owner name: lower case, no trailing dot
	Type  string // "A", "CNAME", "NXDOMAIN" or "ERR"
	Value string // an address for A, the target for CNAME, a message for ERR
	// Public is true when the record comes from public DNS rather than a
	// private zone.
	Public bool
}

func exportChain(chain []rr) []Answer {
	out := make([]Answer, len(chain))
	for i, x := range chain {
		out[i] = Answer{Name: x.name, Type: x.typ, Value: x.value, Public: x.public}
	}
	return out
}

// AzureDNSAnswer returns what 168.63.129.16 answers for an A query for
// name sent from VNet v: the whole chain (CNAMEs, then A records, NXDOMAIN
// or ERR), as Resolve models it (private zones linked to v, NxDomainRedirect
// fallback, then public DNS), with the trace of how it got there.
func (t *Twin) AzureDNSAnswer(v *VNet, name string) ([]Answer, []Step) {
	r := &resolver{t: t}
	if v == nil {
		return []Answer{{Name: canonical(name), Type: "ERR", Value: "168.63.129.16 answers only queries from inside a VNet"}}, nil
	}
	chain := r.azure(v, canonical(name), 0)
	return exportChain(chain), r.steps
}

// PublicDNSAnswer returns what a public recursive resolver answers for an
// A query for name: the whole chain, as Resolve models public DNS.
func (t *Twin) PublicDNSAnswer(name string) ([]Answer, []Step) {
	r := &resolver{t: t}
	chain := r.public(canonical(name), 0)
	return exportChain(chain), r.steps
}

// PublicFQDNName returns the public FQDN of a private cluster's API server,
// <label>.hcp.<region>.azmk8s.io: published in public DNS when
// enablePrivateClusterPublicFQDN is on (azure-rules.md §1.6).
func (c *Cluster) PublicFQDNName() string { return c.publicFQDN() }
