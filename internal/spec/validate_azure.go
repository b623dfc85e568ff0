package spec

import (
	"crypto/rsa"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Checks that match what Azure itself would refuse, run before Azure: the
// user sees the problem at plan time, located in the spec, instead of as a
// deployment failure twenty minutes in.

// MaxCustomData is the largest customData Azure accepts for a VM: 87,380
// base64 characters (64 KiB of decoded data), per the osProfile.customData
// property of Microsoft.Compute/virtualMachines.
const MaxCustomData = 87380

// Limits that keep the agent VM's customData (cloud-init with the agent's
// settings) under MaxCustomData whatever the spec says; a test compiles a
// spec at every limit and measures it.
const (
	maxAgentURL   = 256 // an organisation or repository URL
	maxAgentPool  = 64  // Azure DevOps agent pool names
	maxAgentLabel = 64
	maxLabels     = 20
	maxImageRef   = 512
	maxListItems  = 100 // on-premises ranges, upstream resolvers, secrets of one workload, admin groups
	maxWorkloads  = 100
	maxNodePools  = 100 // AKS: at most 100 node pools per cluster
	maxIntents    = 1000
	maxRules      = 200
	maxFreeText   = 512 // an intent's from/to/name, a rule's reason
)

var (
	// reVMSize is an Azure VM size name (Standard_D4ds_v5, Standard_B2s).
	reVMSize = lazyRegexp(`^Standard_[A-Za-z0-9_]{1,60}$`)
	// reTaint is a Kubernetes taint: key[=value]:Effect.
	reTaint = lazyRegexp(`^[A-Za-z0-9]([-A-Za-z0-9_./]{0,251}[A-Za-z0-9])?(=[-A-Za-z0-9_.]{0,63})?:(NoSchedule|PreferNoSchedule|NoExecute)$`)
	// reImage is a container image reference without whitespace.
	reImage = lazyRegexp(`^[A-Za-z0-9][A-Za-z0-9._/:@-]*$`)
	// reGitHubURL is a GitHub owner or repository URL.
	reGitHubURL = lazyRegexp(`^https://github\.com/[A-Za-z0-9][A-Za-z0-9-]{0,38}(/[A-Za-z0-9._-]{1,100})?/?$`)
	// reAgentPool is an Azure DevOps agent pool name.
	reAgentPool = lazyRegexp(`^[^\s"/\\\[\]:|<>+=;?*][^"/\\\[\]:|<>+=;?*]{0,63}$`)
	// reLabel is a GitHub runner label.
	reLabel = lazyRegexp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
)

// secretQueryKeys are query parameters that carry credentials (SAS tokens,
// OAuth tokens, API keys).
var secretQueryKeys = []string{"sig", "signature", "token", "access_token", "code", "key", "apikey", "api_key", "password", "secret", "pat", "sv", "se", "sp"}

// safeURL reports whether s is a URL that may appear in templates and
// cloud-init: https, no user information, no query or fragment. A URL that
// may hold a credential is refused without repeating it: the message names
// the field only.
func (v *validator) safeURL(path, s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		v.add(path, "not a URL (the value is not shown: it may hold a credential)")
		return false
	}
	if u.User != nil {
		v.add(path, "the URL has user information (user:password@ or token@); credentials must never be in the spec, the template or cloud-init: remove it, and pass the token with privaks apply --secret agentRegistrationToken=@FILE (the value is not shown)")
		return false
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(s, "?#") {
		for _, k := range secretQueryKeys {
			if u.Query().Has(k) {
				v.add(path, "the URL has a query parameter %q that may carry a credential; credentials must never be in the spec: remove the query (the value is not shown)", k)
				return false
			}
		}
		v.add(path, "an organisation or repository URL has no query or fragment: remove what follows ? or # (the value is not shown)")
		return false
	}
	if u.Scheme != "https" {
		v.add(path, "want an https:// URL (the agent registers over TLS)")
		return false
	}
	if len(s) > maxAgentURL {
		v.add(path, "a URL of %d characters; at most %d", len(s), maxAgentURL)
		return false
	}
	return true
}

// checkSSHKey parses an OpenSSH public key with x/crypto/ssh and applies
// Azure's rule for Linux VMs: SSH-2 RSA of at least 2048 bits, or Ed25519;
// other key types are refused by Azure
// (learn.microsoft.com/azure/virtual-machines/linux/create-ssh-keys-detailed,
// "Supported SSH key formats"). The key is never repeated in the message.
func checkSSHKey(s string) string {
	if strings.Contains(strings.TrimSpace(s), "\n") {
		return "one public key on one line is expected (the value has several lines)"
	}
	if strings.Contains(s, "PRIVATE KEY") {
		return "this is a PRIVATE key: never put it in a spec; give the public key (the .pub file)"
	}
	key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(s))
	if err != nil {
		return "not an OpenSSH public key (want the one line of a .pub file, e.g. \"ssh-ed25519 AAAA... user@host\"): " + err.Error()
	}
	switch key.Type() {
	case ssh.KeyAlgoED25519:
		return ""
	case ssh.KeyAlgoRSA:
		ck, ok := key.(ssh.CryptoPublicKey)
		if !ok {
			return "cannot read the RSA key's size"
		}
		if rk, ok := ck.CryptoPublicKey().(*rsa.PublicKey); ok && rk.N.BitLen() < 2048 {
			return fmt.Sprintf("an RSA key of %d bits; Azure requires at least 2048", rk.N.BitLen())
		}
		return ""
	default:
		return fmt.Sprintf("a %s key; Azure accepts only ssh-rsa (2048 bits or more) and ssh-ed25519 keys for Linux VMs", key.Type())
	}
}

// agentLimits bounds the agent settings that flow into the agent VM's
// customData, so that it stays under Azure's limit.
func (v *validator) agentLimits(a Agent) {
	if a.Pool != "" && !reAgentPool().MatchString(a.Pool) {
		v.add("$.agent.pool", "%q: an agent pool name is 1-%d characters, without \" / \\ [ ] : | < > + = ; ? *", a.Pool, maxAgentPool)
	}
	if len(a.Labels) > maxLabels {
		v.add("$.agent.labels", "%d labels; at most %d", len(a.Labels), maxLabels)
	}
	for i, l := range a.Labels {
		if !reLabel().MatchString(l) {
			v.add(fmt.Sprintf("$.agent.labels[%d]", i), "%q: a label is 1-%d letters, digits, '.', '_' or '-'", l, maxAgentLabel)
		}
	}
}

// MaxDiagnostics is the most problems one file reports; the rest are
// counted.
const MaxDiagnostics = 100

// boundLists returns f with every list cut to its bound (counts reports
// the excess), so that validation's work is bounded whatever the input.
func boundLists(f File) File {
	cut := func(n, max int) int { return min(n, max) }
	f.Network.OnPremises = f.Network.OnPremises[:cut(len(f.Network.OnPremises), maxListItems)]
	f.DNS.Upstream = f.DNS.Upstream[:cut(len(f.DNS.Upstream), maxListItems)]
	f.AKS.AdminGroupObjectIDs = f.AKS.AdminGroupObjectIDs[:cut(len(f.AKS.AdminGroupObjectIDs), maxListItems)]
	f.AKS.NodePools = f.AKS.NodePools[:cut(len(f.AKS.NodePools), maxNodePools)]
	f.Workloads = f.Workloads[:cut(len(f.Workloads), maxWorkloads)]
	f.Intents = f.Intents[:cut(len(f.Intents), maxIntents)]
	f.Rules.Disabled = f.Rules.Disabled[:cut(len(f.Rules.Disabled), maxRules)]
	f.Agent.Labels = f.Agent.Labels[:cut(len(f.Agent.Labels), maxLabels)]
	return f
}

// counts bounds every list of the spec, as Azure bounds what it accepts.
func (v *validator) counts(f *File) {
	lim := func(path string, n, max int) {
		if n > max {
			v.add(path, "%d entries; at most %d", n, max)
		}
	}
	lim("$.network.onPremises", len(f.Network.OnPremises), maxListItems)
	lim("$.dns.upstream", len(f.DNS.Upstream), maxListItems)
	lim("$.aks.adminGroupObjectIDs", len(f.AKS.AdminGroupObjectIDs), maxListItems)
	lim("$.aks.nodePools", len(f.AKS.NodePools), maxNodePools)
	lim("$.workloads", len(f.Workloads), maxWorkloads)
	lim("$.intents", len(f.Intents), maxIntents)
	lim("$.rules.disabled", len(f.Rules.Disabled), maxRules)
	for i, w := range f.Workloads {
		lim(fmt.Sprintf("$.workloads[%d].secrets", i), len(w.Secrets), maxListItems)
	}
	for i, p := range f.AKS.NodePools {
		lim(fmt.Sprintf("$.aks.nodePools[%d].taints", i), len(p.Taints), maxListItems)
	}
	text := func(path, s string) {
		if len(s) > maxFreeText {
			v.add(path, "%d characters; at most %d", len(s), maxFreeText)
		}
	}
	for i, in := range f.Intents {
		p := fmt.Sprintf("$.intents[%d]", i)
		text(p+".name", in.Name)
		text(p+".from", in.From)
		text(p+".to", in.To)
	}
	for i, r := range f.Rules.Disabled {
		text(fmt.Sprintf("$.rules.disabled[%d].reason", i), r.Reason)
	}
}

// duplicates reports an entry written twice in a list whose entries must
// be unique (the schema says uniqueItems).
func (v *validator) duplicates(f *File) {
	dup := func(path string, xs []string) {
		seen := map[string]bool{}
		for i, x := range xs {
			if seen[x] {
				v.add(fmt.Sprintf("%s[%d]", path, i), "%q is listed twice", x)
			}
			seen[x] = true
		}
	}
	dup("$.aks.adminGroupObjectIDs", f.AKS.AdminGroupObjectIDs)
	for i, p := range f.AKS.NodePools {
		dup(fmt.Sprintf("$.aks.nodePools[%d].zones", i), p.Zones)
	}
	for i, w := range f.Workloads {
		dup(fmt.Sprintf("$.workloads[%d].secrets", i), w.Secrets)
	}
}
