package spec

import (
	"fmt"
	"strings"
)

// reHost is a DNS host name: labels of letters, digits and hyphens, at
// least two of them, 253 characters at most.
var reHost = lazyRegexp(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)

// reKVObject is a Key Vault object (certificate, secret) name: 1-127
// letters, digits and hyphens.
var reKVObject = lazyRegexp(`^[0-9A-Za-z-]{1,127}$`)

// exposure validates what the Application Gateway publishes: every exposed
// workload has its own host name (its own listener on its frontend, so two
// workloads never both route "/"), and the TLS certificate name is a Key
// Vault certificate name.
func (v *validator) exposure(f *File) {
	if !reKVObject().MatchString(f.AppGateway.TLSCertificate) {
		v.add("$.appGateway.tlsCertificate", "%q: Key Vault certificate names are 1-127 letters, digits or hyphens", f.AppGateway.TLSCertificate)
	}
	seen := map[string]string{} // host → path of the first workload with it
	for i, w := range f.Workloads {
		path := fmt.Sprintf("$.workloads[%d].host", i)
		if w.Exposure == "none" {
			if w.Host != "" {
				v.add(path, "workload %s has exposure none: a host name is used only with exposure public or private", w.Name)
			}
			continue
		}
		h := strings.ToLower(w.Host)
		if len(h) > 253 || !reHost().MatchString(h) {
			v.add(path, "%q is not a host name (labels of letters, digits and hyphens, e.g. orders.contoso.com)", w.Host)
			continue
		}
		if first, dup := seen[h]; dup {
			v.add(path, "%s is also the host of %s: each exposed workload needs its own host name (its own listener), or both would route /", h, fieldName(first))
		}
		seen[h] = path
	}
}
