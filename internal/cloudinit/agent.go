package cloudinit

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Paths the agent document writes.
const (
	AgentConfFile   = "/etc/privaks/agent.conf"
	InstallScript   = "/usr/local/sbin/privaks-agent-install"
	RegisterScript  = "/usr/local/sbin/privaks-agent-register"
	RegisterUnit    = "/etc/systemd/system/privaks-agent-register.service"
	registerUnitArg = "privaks-agent-register.service"
)

// Tool pins a downloaded tool: a version and, optionally, the SHA-256 of
// the linux-amd64 artifact. With SHA256 empty the install script checks
// the download against the checksum file the vendor publishes beside it
// (kubectl, kubelogin, helm) over HTTPS; the agent tarballs have no such
// file, so for them an empty SHA256 means TLS only. Pin SHA256 to make the
// artifact reproducible.
type Tool struct {
	Version string
	SHA256  string
}

// Versions pins the tools the agent VM installs. Zero fields take the
// defaults in DefaultVersions.
type Versions struct {
	Kubectl, Kubelogin, Helm Tool
	// Agent is the Azure Pipelines agent (Kind "azdo") or the GitHub
	// Actions runner (Kind "github").
	Agent Tool
}

// DefaultVersions are the versions privaks pins when AgentConfig leaves
// them empty.
var DefaultVersions = Versions{
	Kubectl:   Tool{Version: "v1.34.1"},
	Kubelogin: Tool{Version: "v0.2.10"},
	Helm:      Tool{Version: "v3.19.0"},
}

var defaultAgent = map[string]Tool{
	"azdo":   {Version: "4.261.0"},
	"github": {Version: "2.328.0"},
}

// AgentConfig describes the CI agent VM. Nothing in it is secret: the
// registration token is read at boot from Key Vault (KeyVaultName,
// TokenSecretName) with the VM's managed identity.
type AgentConfig struct {
	// Kind is "azdo" (Azure Pipelines agent) or "github" (Actions runner).
	Kind string
	// OrgURL is https://dev.azure.com/<org> (azdo) or https://github.com
	// (github; the default).
	OrgURL string
	// Pool is the Azure Pipelines agent pool (azdo).
	Pool string
	// Repo is "owner/repo" or an organisation "owner" (github).
	Repo string
	// Labels are extra runner labels (github).
	Labels []string
	// KeyVaultName and KeyVaultDNSSuffix name the vault:
	// https://<name>.<suffix>; the suffix defaults to "vault.azure.net".
	KeyVaultName      string
	KeyVaultDNSSuffix string
	// TokenSecretName is the secret holding the Azure DevOps PAT (azdo) or
	// a GitHub token allowed to create runner registration tokens.
	TokenSecretName string
	// IdentityClientID selects a user-assigned managed identity; empty
	// uses the system-assigned one.
	IdentityClientID string
	// AgentUser runs the agent service (default "azagent").
	AgentUser string
	// Versions pins the tools; zero fields take DefaultVersions.
	Versions Versions
	// Packages are extra distribution packages to install.
	Packages []string
}

var (
	kvNameRE  = lazyRegexp(`^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$`)
	secretRE  = lazyRegexp(`^[0-9a-zA-Z-]{1,127}$`)
	userRE    = lazyRegexp(`^[a-z_][a-z0-9_-]{0,31}$`)
	repoRE    = lazyRegexp(`^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?$`)
	versionRE = lazyRegexp(`^v?[0-9]+\.[0-9]+\.[0-9]+$`)
	shaRE     = lazyRegexp(`^([0-9a-f]{64})?$`)
	suffixRE  = lazyRegexp(`^[a-z0-9.-]+$`)
	labelRE   = lazyRegexp(`^[A-Za-z0-9_.-]+$`)
	pkgRE     = lazyRegexp(`^[a-z0-9][a-z0-9+.-]+$`)
	clientRE  = lazyRegexp(`^([0-9a-fA-F-]{36})?$`)
)

// withDefaults fills defaults and validates c.
func (c AgentConfig) withDefaults() (AgentConfig, error) {
	if c.AgentUser == "" {
		c.AgentUser = "azagent"
	}
	if c.KeyVaultDNSSuffix == "" {
		c.KeyVaultDNSSuffix = "vault.azure.net"
	}
	if c.Kind == "github" && c.OrgURL == "" {
		c.OrgURL = "https://github.com"
	}
	v := &c.Versions
	for _, p := range []struct {
		t   *Tool
		def Tool
	}{{&v.Kubectl, DefaultVersions.Kubectl}, {&v.Kubelogin, DefaultVersions.Kubelogin}, {&v.Helm, DefaultVersions.Helm}, {&v.Agent, defaultAgent[c.Kind]}} {
		if p.t.Version == "" {
			*p.t = p.def
		}
	}
	var errs []string
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Sprintf(format, args...))
		}
	}
	check(c.Kind == "azdo" || c.Kind == "github", "kind %q: want azdo or github", c.Kind)
	u, err := url.Parse(c.OrgURL)
	check(err == nil && u.Scheme == "https" && u.Host != "" && !strings.ContainsAny(c.OrgURL, "'\"` $\\"), "org URL %q: want an https URL", c.OrgURL)
	if c.Kind == "azdo" {
		check(c.Pool != "" && !strings.ContainsAny(c.Pool, "'\"`$\\\n"), "pool %q: want a pool name", c.Pool)
	}
	if c.Kind == "github" {
		check(repoRE().MatchString(c.Repo), "repo %q: want owner or owner/repo", c.Repo)
		for _, l := range c.Labels {
			check(labelRE().MatchString(l), "label %q: want letters, digits, _ . -", l)
		}
	}
	check(kvNameRE().MatchString(c.KeyVaultName), "key vault name %q: want 3-24 letters, digits and hyphens", c.KeyVaultName)
	check(suffixRE().MatchString(c.KeyVaultDNSSuffix), "key vault DNS suffix %q", c.KeyVaultDNSSuffix)
	check(secretRE().MatchString(c.TokenSecretName), "token secret name %q: want 1-127 letters, digits and hyphens", c.TokenSecretName)
	check(clientRE().MatchString(c.IdentityClientID), "identity client ID %q: want a GUID", c.IdentityClientID)
	check(userRE().MatchString(c.AgentUser) && c.AgentUser != "root", "agent user %q: want a non-root user name", c.AgentUser)
	for name, t := range map[string]Tool{"kubectl": v.Kubectl, "kubelogin": v.Kubelogin, "helm": v.Helm, "agent": v.Agent} {
		check(versionRE().MatchString(t.Version), "%s version %q: want x.y.z", name, t.Version)
		check(shaRE().MatchString(t.SHA256), "%s sha256 %q: want 64 lower-case hex digits", name, t.SHA256)
	}
	for _, p := range c.Packages {
		check(pkgRE().MatchString(p), "package %q", p)
	}
	if len(errs) > 0 {
		sortStrings(errs)
		return c, fmt.Errorf("render agent: %s", strings.Join(errs, "; "))
	}
	return c, nil
}

// Agent returns the #cloud-config of the CI agent VM. It installs the
// Azure CLI from Microsoft's apt repository (key fingerprint pinned),
// kubectl, kubelogin and helm as pinned release downloads checked against
// a SHA-256, and the Azure Pipelines agent or GitHub Actions runner as a
// systemd service running as AgentUser.
//
// Registration happens at boot in privaks-agent-register.service, not in
// the document: the script gets an access token from IMDS with the VM's
// managed identity, reads the registration secret from Key Vault, and
// retries with backoff until DNS and the vault answer (the private
// endpoint may come up after the VM). The secret reaches config.sh through
// the environment (VSTS_AGENT_INPUT_TOKEN / ACTIONS_RUNNER_INPUT_TOKEN)
// and curl reads Authorization headers from stdin, so it never appears in
// a command line, a file or a log; scripts never use set -x and run under
// umask 077. The output is deterministic.
func Agent(c AgentConfig) ([]byte, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	pkgs := append([]string{"ca-certificates", "curl", "gnupg", "jq", "tar", "unzip"}, c.Packages...)
	d := document{
		PackageUpdate: true,
		Packages:      pkgs,
		WriteFiles: []writeFile{
			{Path: AgentConfFile, Owner: "root:root", Permissions: "0600", Content: agentConf(c)},
			{Path: InstallScript, Owner: "root:root", Permissions: "0700", Content: installScript},
			{Path: RegisterScript, Owner: "root:root", Permissions: "0700", Content: registerScript},
			{Path: RegisterUnit, Owner: "root:root", Permissions: "0644", Content: registerUnit},
		},
		RunCmd: []any{
			[]string{InstallScript},
			[]string{"systemctl", "daemon-reload"},
			[]string{"systemctl", "enable", "--now", "--no-block", registerUnitArg},
		},
	}
	return marshal(d)
}

// agentConf is the sourced settings file: shell assignments, no secrets.
func agentConf(c AgentConfig) string {
	kv := [][2]string{
		{"KIND", c.Kind},
		{"ORG_URL", strings.TrimSuffix(c.OrgURL, "/")},
		{"POOL", c.Pool},
		{"REPO", c.Repo},
		{"LABELS", strings.Join(c.Labels, ",")},
		{"KEYVAULT_URL", "https://" + c.KeyVaultName + "." + c.KeyVaultDNSSuffix},
		{"KEYVAULT_RESOURCE", url.QueryEscape("https://" + c.KeyVaultDNSSuffix)},
		{"TOKEN_SECRET", c.TokenSecretName},
		{"IDENTITY_CLIENT_ID", c.IdentityClientID},
		{"AGENT_USER", c.AgentUser},
		{"KUBECTL_VERSION", c.Versions.Kubectl.Version},
		{"KUBECTL_SHA256", c.Versions.Kubectl.SHA256},
		{"KUBELOGIN_VERSION", c.Versions.Kubelogin.Version},
		{"KUBELOGIN_SHA256", c.Versions.Kubelogin.SHA256},
		{"HELM_VERSION", c.Versions.Helm.Version},
		{"HELM_SHA256", c.Versions.Helm.SHA256},
		{"AGENT_VERSION", strings.TrimPrefix(c.Versions.Agent.Version, "v")},
		{"AGENT_SHA256", c.Versions.Agent.SHA256},
	}
	var b strings.Builder
	b.WriteString("# privaks agent settings, read by privaks-agent-install and privaks-agent-register.\n# No secrets: the registration token is read from Key Vault at boot.\n")
	for _, p := range kv {
		fmt.Fprintf(&b, "%s=%s\n", p[0], shq(p[1]))
	}
	return b.String()
}

func sortStrings(s []string) { slices.Sort(s) }
