package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/conventions"
	"github.com/privaks/privaks/internal/twin"
)

// Exposures of a workload (the privaks-exposure tag).
const (
	ExposurePublic  = "public"
	ExposurePrivate = "private"
	ExposureNone    = "none"
)

// Workload is one workload as the resource set describes it: the tags of
// its user-assigned identity, the federated credential trusting its
// service account and the vault the identity may read secrets from.
type Workload struct {
	Name           string
	Namespace      string
	ServiceAccount string
	Secrets        []string
	Exposure       string
	// Identity is the user-assigned identity the service account acts as.
	Identity arm.ResourceID
	// Subject is the federated credential's subject,
	// system:serviceaccount:<namespace>:<service account>.
	Subject string
	// Vault is the name of the Key Vault the identity reads secrets from.
	Vault string
	// Host is the host name its Ingress answers (public or private
	// exposure), from the privaks-host tag; empty means any host.
	Host string
	// Certificate is the name of the TLS certificate installed on the
	// Application Gateway (sslCertificates[].name, a Key Vault reference)
	// that its HTTPS listener presents; empty when the gateway has none.
	Certificate string
}

// gatewayCertificate is the certificate of the gateway AGIC manages (or
// the only gateway): the first of its sslCertificates.
func gatewayCertificate(t *twin.Twin) string {
	var g *twin.AppGateway
	for _, c := range t.Clusters {
		for _, x := range t.Gateways {
			if c.AGICGateway != "" && c.AGICGateway.Equal(x.ID) {
				g = x
			}
		}
	}
	if g == nil && len(t.Gateways) == 1 {
		g = t.Gateways[0]
	}
	if g == nil || len(g.Certificates) == 0 {
		return ""
	}
	return g.Certificates[0].Name
}

// Subject returns the subject a Kubernetes service account's tokens carry.
func Subject(namespace, serviceAccount string) string {
	return "system:serviceaccount:" + namespace + ":" + serviceAccount
}

// Workloads lists the set's workloads, sorted by name: every user-assigned
// identity tagged privaks-workload. Each must have its namespace, service
// account and exposure tags, a federated credential whose subject is
// exactly its service account, and a secret-reading role on exactly one
// vault of the set; no two workloads may share a service account (it can
// carry one client ID only).
func Workloads(set *arm.Set) ([]Workload, error) {
	t := twin.Build(set)
	var out []Workload
	for _, id := range t.Identities {
		name := id.Tags[conventions.TagWorkload]
		if name == "" {
			continue
		}
		w := Workload{
			Name:           name,
			Namespace:      id.Tags[conventions.TagNamespace],
			ServiceAccount: id.Tags[conventions.TagServiceAccount],
			Exposure:       id.Tags[conventions.TagExposure],
			Identity:       id.Resource,
			Host:           id.Tags[conventions.TagHost],
		}
		if w.Exposure == ExposurePublic || w.Exposure == ExposurePrivate {
			w.Certificate = gatewayCertificate(t)
		}
		for _, s := range strings.Split(id.Tags[conventions.TagSecrets], ",") {
			if s = strings.TrimSpace(s); s != "" {
				w.Secrets = append(w.Secrets, s)
			}
		}
		if w.Namespace == "" || w.ServiceAccount == "" {
			return nil, fmt.Errorf("read workload %q: identity %s lacks the %s or %s tag", name, id.Name, conventions.TagNamespace, conventions.TagServiceAccount)
		}
		switch w.Exposure {
		case ExposurePublic, ExposurePrivate, ExposureNone:
		case "":
			w.Exposure = ExposureNone
		default:
			return nil, fmt.Errorf("read workload %q: %s tag %q: want public, private or none", name, conventions.TagExposure, w.Exposure)
		}
		want := Subject(w.Namespace, w.ServiceAccount)
		for _, c := range id.Credentials {
			if c.Subject == want {
				w.Subject = want
			}
		}
		if w.Subject == "" {
			return nil, fmt.Errorf("read workload %q: identity %s has no federated credential for %s", name, id.Name, want)
		}
		var vaults []string
		for _, v := range t.Vaults {
			if _, ok := t.HasRole(id.Key, twin.SecretReaderRoles, v.ID); ok {
				vaults = append(vaults, v.Name)
			}
		}
		sort.Strings(vaults)
		switch len(vaults) {
		case 1:
			w.Vault = vaults[0]
		case 0:
			return nil, fmt.Errorf("read workload %q: identity %s may read secrets of no Key Vault in the set", name, id.Name)
		default:
			return nil, fmt.Errorf("read workload %q: identity %s may read secrets of several Key Vaults (%s): cannot tell which holds its secrets", name, id.Name, strings.Join(vaults, ", "))
		}
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	seenName := map[string]bool{}
	seenSA := map[string]string{}
	for _, w := range out {
		if seenName[w.Name] {
			return nil, fmt.Errorf("read workload %q: two identities carry this workload tag", w.Name)
		}
		seenName[w.Name] = true
		if other, ok := seenSA[w.Subject]; ok {
			return nil, fmt.Errorf("read workload %q: it shares service account %s/%s with workload %q, and a service account carries one client ID", w.Name, w.Namespace, w.ServiceAccount, other)
		}
		seenSA[w.Subject] = w.Name
	}
	return out, nil
}
