package bind

import (
	"net/netip"
	"strings"
	"time"
)

// AzureDNS is the Azure DNS virtual server, 168.63.129.16: the resolver that
// answers from the private DNS zones linked to the VNet a query comes from.
var AzureDNS = netip.AddrFrom4([4]byte{168, 63, 129, 16})

// Config is a BIND 9.18 conditional forwarder: one options block plus a
// list of forward zones. The zero Config renders to a named.conf that BIND
// accepts and that uses BIND's own defaults for everything.
//
// Names are stored lower-case without a trailing dot; the root is ".".
type Config struct {
	// Directory is the working directory (options "directory"); empty
	// omits it.
	Directory string
	// PIDFile is options "pid-file"; empty omits it.
	PIDFile string

	// ListenOn lists the addresses named listens on (listen-on for IPv4,
	// listen-on-v6 for IPv6). Empty means BIND's default: every IPv4
	// interface, and no IPv6 (Render writes listen-on-v6 { none; }).
	ListenOn []netip.Addr
	// Port is the listen port; zero means 53.
	Port uint16

	// Allow lists the client prefixes that may query and recurse: Render
	// writes it as allow-query, allow-recursion and allow-query-cache.
	// Empty means BIND's default (only localhost and localnets recurse).
	// Prefixes are masked.
	Allow []netip.Prefix

	// Forwarders are the default upstreams for names outside every zone
	// in Zones. Empty means no forwarding: recursion from the root hints.
	Forwarders []netip.Addr
	// ForwarderPort is the port of every forwarder, default and per-zone;
	// zero means 53. BIND allows a port per address; this model does not.
	ForwarderPort uint16
	// ForwardOnly is options "forward only": never fall back to recursion
	// when the forwarders fail. False means BIND's default "forward first".
	ForwardOnly bool

	// Zones are the conditional forwarders, in the order they are
	// rendered. Each is rendered with "forward only".
	Zones []ForwardZone

	// MaxNCacheTTL caps how long BIND caches a negative answer
	// (NXDOMAIN/NODATA); whole seconds. Zero means BIND's default of 3 h.
	// A forwarder in front of private DNS zones wants it short: a record
	// created by a deployment step must be visible to the next step
	// (prior-art §5B, the max-ncache-ttl 15 advice). Render rounds up to
	// whole seconds. Measured with BIND 9.18.49: a cap of N s makes a new
	// record visible N-1 to N s after an NXDOMAIN was cached; 1 s is the
	// smallest effective cap, and "max-ncache-ttl 0" behaves like 1 (BIND's
	// cache counts whole seconds), so it does not switch negative caching
	// off.
	MaxNCacheTTL time.Duration

	// DNSSECValidation is options "dnssec-validation"; empty omits it,
	// which means BIND 9.18's default "auto". See Default for why privaks
	// uses DNSSECNo.
	DNSSECValidation DNSSECValidation
	// ValidateExcept lists zones below which BIND does not validate
	// (options "validate-except"); only meaningful with validation on.
	ValidateExcept []string

	// QueryLog is options "querylog": log every query. Off by default:
	// query logs of a landing zone's resolver are both noise and data.
	QueryLog bool
}

// ForwardZone is a conditional forwarder: zone "Name" { type forward;
// forward only; forwarders { ... }; };. Empty Forwarders disables
// forwarding below Name (BIND then recurses from the root hints).
type ForwardZone struct {
	Name       string
	Forwarders []netip.Addr
}

// DNSSECValidation is a value of options "dnssec-validation".
type DNSSECValidation string

// The values BIND 9.18 accepts for dnssec-validation.
const (
	DNSSECNo   DNSSECValidation = "no"
	DNSSECYes  DNSSECValidation = "yes"
	DNSSECAuto DNSSECValidation = "auto"
)

// DefaultMaxNCacheTTL is the negative-cache cap privaks uses: short enough
// that a private endpoint record created after a failed lookup is seen
// within seconds, long enough to absorb retry storms.
const DefaultMaxNCacheTTL = 10 * time.Second

// Default returns the privaks forwarder for a landing zone in region
// (e.g. "canadacentral"): listen on listen, serve clients in allow, forward
// everything to Azure DNS with forward only, and add conditional forwarders
// to Azure DNS for the Key Vault, ACR and AKS zones (azure-rules §1.4,
// §1.7): both the privatelink zones and the public zones that CNAME into
// them. With BIND the privatelink zones alone would do (§1.4a: BIND sends
// each CNAME target to the forwarder of the target's zone); the public zones
// are listed as Microsoft documents them so the configuration stays correct
// when Forwarders is changed to an on-premises or public resolver.
//
// DNSSEC validation is off (dnssec-validation no). Azure private DNS zones
// are unsigned, and 168.63.129.16 answers from them in place of the public
// tree: a privatelink name is a different, unsigned answer than the public
// one. A validating resolver that sees a signed parent (Microsoft signs
// more public zones over time) then marks the private answer bogus and
// returns SERVFAIL for exactly the names that must resolve privately.
// validate-except could carve the zones out, but it must list every
// shadowed zone, including the ones AKS creates at run time
// (<guid>.privatelink.<region>.azmk8s.io), and a zone it misses fails
// closed. The forwarder's only upstream is Azure DNS inside the Azure
// fabric, so validating on the VM buys little against that failure mode.
func Default(region string, listen []netip.Addr, allow []netip.Prefix) Config {
	azure := []netip.Addr{AzureDNS}
	var zones []ForwardZone
	for _, name := range []string{
		"vault.azure.net",
		"vaultcore.azure.net",
		"privatelink.vaultcore.azure.net",
		"azurecr.io",
		region + ".data.azurecr.io",
		"privatelink.azurecr.io",
		region + ".azmk8s.io",
		"privatelink." + region + ".azmk8s.io",
	} {
		zones = append(zones, ForwardZone{Name: name, Forwarders: azure})
	}
	return Config{
		Directory:        "/var/cache/bind",
		ListenOn:         append([]netip.Addr(nil), listen...),
		Allow:            maskAll(allow),
		Forwarders:       azure,
		ForwardOnly:      true,
		Zones:            zones,
		MaxNCacheTTL:     DefaultMaxNCacheTTL,
		DNSSECValidation: DNSSECNo,
	}
}

// ForwarderFor returns the forward zone BIND 9.18 uses for name and the
// servers it sends the question to: the longest zone in c.Zones equal to
// name or a parent of it, else "." and c.Forwarders. Matching is on whole
// labels and ignores case and a trailing dot.
//
// This is per question, not per answer. BIND does not take the rest of a
// CNAME chain from a forwarder's answer: for every CNAME target it starts
// a new lookup and sends it to ForwarderFor(target) (azure-rules §1.4a,
// measured with BIND 9.18.49 and reproduced by this package's tests). So
// myvault.vault.azure.net → CNAME myvault.privatelink.vaultcore.azure.net
// resolves privately when privatelink.vaultcore.azure.net alone forwards
// to Azure DNS, and publicly when only vault.azure.net does.
func (c Config) ForwarderFor(name string) (zone string, servers []netip.Addr) {
	name = CanonicalName(name)
	best := -1
	for i, z := range c.Zones {
		zn := CanonicalName(z.Name)
		if !InZone(name, zn) {
			continue
		}
		if best < 0 || labels(zn) > labels(CanonicalName(c.Zones[best].Name)) {
			best = i
		}
	}
	if best < 0 {
		return ".", c.Forwarders
	}
	return CanonicalName(c.Zones[best].Name), c.Zones[best].Forwarders
}

// CanonicalName lower-cases name and drops a trailing dot; the root (""
// or ".") is ".".
func CanonicalName(name string) string {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if name == "" {
		return "."
	}
	return name
}

// InZone reports whether canonical name equals canonical zone or is below
// it on a label boundary. Every name is in ".".
func InZone(name, zone string) bool {
	return zone == "." || name == zone || below(name, zone)
}

// below reports whether name ends in "." + zone, without building that
// string (resolution asks it for every zone on every hop).
func below(name, zone string) bool {
	n := len(name) - len(zone)
	return n > 0 && name[n-1] == '.' && name[n:] == zone
}

func labels(name string) int {
	if name == "." {
		return 0
	}
	return strings.Count(name, ".") + 1
}

func maskAll(ps []netip.Prefix) []netip.Prefix {
	if ps == nil {
		return nil
	}
	out := make([]netip.Prefix, len(ps))
	for i, p := range ps {
		out[i] = p.Masked()
	}
	return out
}
