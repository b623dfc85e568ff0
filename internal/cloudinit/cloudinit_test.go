package cloudinit_test

import (
	"bytes"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/cloudinit"
)

var cmpConfig = []cmp.Option{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
	cmpopts.EquateEmpty(),
}

// tool returns the path of a test dependency or fails: a missing tool is
// a broken environment, never a skip.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed: run `make test-deps` (scripts/install-test-deps.sh)", name)
	}
	return p
}

func forwarderConfig() bind.Config {
	return bind.Default("canadacentral", []netip.Addr{netip.MustParseAddr("10.0.1.4")},
		[]netip.Prefix{netip.MustParsePrefix("10.0.0.0/16"), netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("192.168.0.0/16")})
}

func azdoConfig() cloudinit.AgentConfig {
	return cloudinit.AgentConfig{
		Kind: "azdo", OrgURL: "https://dev.azure.com/contoso", Pool: "privaks-pool",
		KeyVaultName: "kv-privaks-cac", TokenSecretName: "azdo-pat", AgentUser: "azagent",
	}
}

func githubConfig() cloudinit.AgentConfig {
	return cloudinit.AgentConfig{
		Kind: "github", Repo: "contoso/landing-zone", Labels: []string{"privaks", "aks"},
		KeyVaultName: "kv-privaks-cac", TokenSecretName: "gh-runner-token",
		IdentityClientID: "00000000-1111-2222-3333-444444444444",
		Versions:         cloudinit.Versions{Helm: cloudinit.Tool{Version: "v3.18.4", SHA256: strings.Repeat("ab", 32)}},
	}
}

// documents renders every document the package writes.
func documents(t *testing.T) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	var err error
	if docs["dns"], err = cloudinit.DNSForwarder(forwarderConfig()); err != nil {
		t.Fatal(err)
	}
	if docs["agent azdo"], err = cloudinit.Agent(azdoConfig()); err != nil {
		t.Fatal(err)
	}
	if docs["agent github"], err = cloudinit.Agent(githubConfig()); err != nil {
		t.Fatal(err)
	}
	return docs
}

type doc struct {
	WriteFiles []struct {
		Path        string `yaml:"path"`
		Permissions string `yaml:"permissions"`
		Content     string `yaml:"content"`
	} `yaml:"write_files"`
	RunCmd []any `yaml:"runcmd"`
}

func TestDocumentsAreValidCloudConfig(t *testing.T) {
	cloudInit := tool(t, "cloud-init")
	for name, d := range documents(t) {
		t.Run(name, func(t *testing.T) {
			if !bytes.HasPrefix(d, []byte("#cloud-config\n")) {
				t.Errorf("document does not start with #cloud-config:\n%s", d)
			}
			var m map[string]any
			if err := yaml.Unmarshal(d, &m); err != nil {
				t.Fatalf("parse YAML: %v", err)
			}
			f := filepath.Join(t.TempDir(), "user-data")
			if err := os.WriteFile(f, d, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(cloudInit, "schema", "--config-file", f).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "Valid") {
				t.Errorf("cloud-init schema --config-file: %v\n%s\ndocument:\n%s", err, out, d)
			}
		})
	}
}

// TestSchemaCheckCatchesErrors shows the schema check can fail.
func TestSchemaCheckCatchesErrors(t *testing.T) {
	f := filepath.Join(t.TempDir(), "user-data")
	if err := os.WriteFile(f, []byte("#cloud-config\npackages: 3\nruncmd: {a: b}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(tool(t, "cloud-init"), "schema", "--config-file", f).CombinedOutput(); err == nil {
		t.Errorf("cloud-init schema accepted an invalid document:\n%s", out)
	}
}

func TestScriptsPassShellcheck(t *testing.T) {
	shellcheck := tool(t, "shellcheck")
	for name, d := range documents(t) {
		var parsed doc
		if err := yaml.Unmarshal(d, &parsed); err != nil {
			t.Fatal(err)
		}
		scripts := map[string]string{}
		for _, f := range parsed.WriteFiles {
			switch {
			case strings.HasPrefix(f.Content, "#!"):
				scripts[f.Path] = f.Content
			case f.Path == cloudinit.AgentConfFile:
				// Sourced by the scripts: check it as sh too.
				scripts[f.Path] = "#!/bin/sh\n" + f.Content + "export KIND ORG_URL POOL REPO LABELS KEYVAULT_URL KEYVAULT_RESOURCE TOKEN_SECRET IDENTITY_CLIENT_ID AGENT_USER KUBECTL_VERSION KUBECTL_SHA256 KUBELOGIN_VERSION KUBELOGIN_SHA256 HELM_VERSION HELM_SHA256 AGENT_VERSION AGENT_SHA256\n"
			}
		}
		for i, c := range parsed.RunCmd {
			if s, ok := c.(string); ok {
				scripts["runcmd["+string(rune('0'+i))+"]"] = "#!/bin/sh\n" + s + "\n"
			}
		}
		if len(scripts) == 0 {
			t.Fatalf("%s: no scripts found", name)
		}
		for path, s := range scripts {
			t.Run(name+" "+path, func(t *testing.T) {
				f := filepath.Join(t.TempDir(), "script")
				if err := os.WriteFile(f, []byte(s), 0o600); err != nil {
					t.Fatal(err)
				}
				if out, err := exec.Command(shellcheck, "--severity=style", f).CombinedOutput(); err != nil {
					t.Errorf("shellcheck %s: %v\n%s", path, err, out)
				}
			})
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := documents(t), documents(t)
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s: two renders differ", name)
		}
	}
}

func TestParseDNSForwarderRoundTrip(t *testing.T) {
	tests := map[string]bind.Config{
		"default": forwarderConfig(),
		"custom": {
			ListenOn: []netip.Addr{netip.MustParseAddr("10.0.1.5")}, Port: 5353,
			Forwarders: []netip.Addr{bind.AzureDNS}, ForwardOnly: true, MaxNCacheTTL: 5 * time.Second,
			DNSSECValidation: bind.DNSSECAuto, ValidateExcept: []string{"privatelink.vaultcore.azure.net"},
			Zones: []bind.ForwardZone{{Name: "corp.example", Forwarders: []netip.Addr{netip.MustParseAddr("192.168.0.10")}}},
		},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			d, err := cloudinit.DNSForwarder(cfg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := cloudinit.ParseDNSForwarder(d)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, cfg, cmpConfig...); diff != "" {
				t.Errorf("ParseDNSForwarder(DNSForwarder(cfg)) (-got +want):\n%s", diff)
			}
		})
	}
}

func TestParseDNSForwarderErrors(t *testing.T) {
	tests := map[string]string{
		"no header":   "packages: [bind9]\n",
		"no options":  "#cloud-config\nwrite_files:\n  - path: /etc/other\n    content: x\n",
		"bad config":  "#cloud-config\nwrite_files:\n  - path: /etc/bind/named.conf.options\n    content: 'options { forward sometimes; };'\n",
		"bad base64":  "#cloud-config\nwrite_files:\n  - path: /etc/bind/named.conf.options\n    encoding: b64\n    content: '!!!'\n",
		"bad yaml":    "#cloud-config\nwrite_files: [\n",
		"bad encoder": "#cloud-config\nwrite_files:\n  - path: /etc/bind/named.conf.options\n    encoding: gz\n    content: x\n",
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := cloudinit.ParseDNSForwarder([]byte(text)); err == nil {
				t.Errorf("ParseDNSForwarder(%q) succeeded, want an error", text)
			}
		})
	}
	// A hand-written, base64-encoded document is read too.
	b64 := "#cloud-config\nwrite_files:\n  - path: /etc/bind/named.conf.options\n    encoding: b64\n    content: b3B0aW9ucyB7IGZvcndhcmRlcnMgeyAxNjguNjMuMTI5LjE2OyB9OyBmb3J3YXJkIG9ubHk7IH07\n"
	got, err := cloudinit.ParseDNSForwarder([]byte(b64))
	if err != nil {
		t.Fatal(err)
	}
	want := bind.Config{Forwarders: []netip.Addr{bind.AzureDNS}, ForwardOnly: true}
	if diff := cmp.Diff(got, want, cmpConfig...); diff != "" {
		t.Errorf("base64 document (-got +want):\n%s", diff)
	}
}

func TestAgentHasNoSecrets(t *testing.T) {
	secretish := regexp.MustCompile(`(?i)\b(\w*token|pat|\w*password|\w*secret|\w*key)\b\s*[=:]\s*['"]?[A-Za-z0-9+/_-]{20,}`)
	for _, planted := range []string{"PAT='abcdefghijklmnopqrstuvwxyz0123'", "VSTS_AGENT_INPUT_TOKEN=abcdefghijklmnopqrstuvwxyz0123"} {
		if !secretish.MatchString(planted) {
			t.Fatalf("the secret pattern misses %q", planted)
		}
	}
	for name, d := range documents(t) {
		if !strings.HasPrefix(name, "agent") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			s := string(d)
			if m := secretish.FindString(s); m != "" {
				t.Errorf("document holds what looks like a secret: %q", m)
			}
			for _, bad := range []string{"set -x", "PAT=", "--token", "Bearer $access", "Bearer $secret", "echo \"$secret", "access_token\" >", "> /tmp"} {
				if strings.Contains(s, bad) {
					t.Errorf("document contains %q", bad)
				}
			}
			for _, want := range []string{"umask 077", "-K -", "VSTS_AGENT_INPUT_TOKEN", "169.254.169.254/metadata/identity/oauth2/token", "api-version=7.4", "https://kv-privaks-cac.vault.azure.net"} {
				if !strings.Contains(s, want) {
					t.Errorf("document lacks %q", want)
				}
			}
		})
	}
	gh := string(documents(t)["agent github"])
	for _, want := range []string{"IDENTITY_CLIENT_ID='00000000-1111-2222-3333-444444444444'", "LABELS='privaks,aks'", "HELM_SHA256='" + strings.Repeat("ab", 32) + "'"} {
		if !strings.Contains(gh, want) {
			t.Errorf("github document lacks %q", want)
		}
	}
}

func TestAgentRejectsBadConfig(t *testing.T) {
	tests := map[string]func(*cloudinit.AgentConfig){
		"kind":        func(c *cloudinit.AgentConfig) { c.Kind = "jenkins" },
		"http org":    func(c *cloudinit.AgentConfig) { c.OrgURL = "http://dev.azure.com/x" },
		"quote org":   func(c *cloudinit.AgentConfig) { c.OrgURL = "https://dev.azure.com/x'$(id)" },
		"no pool":     func(c *cloudinit.AgentConfig) { c.Pool = "" },
		"vault":       func(c *cloudinit.AgentConfig) { c.KeyVaultName = "kv_bad!" },
		"secret name": func(c *cloudinit.AgentConfig) { c.TokenSecretName = "a b" },
		"root user":   func(c *cloudinit.AgentConfig) { c.AgentUser = "root" },
		"version":     func(c *cloudinit.AgentConfig) { c.Versions.Kubectl.Version = "latest" },
		"sha":         func(c *cloudinit.AgentConfig) { c.Versions.Helm = cloudinit.Tool{Version: "v3.1.0", SHA256: "xyz"} },
		"client id":   func(c *cloudinit.AgentConfig) { c.IdentityClientID = "me" },
		"package":     func(c *cloudinit.AgentConfig) { c.Packages = []string{"git; rm -rf /"} },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			c := azdoConfig()
			mutate(&c)
			if _, err := cloudinit.Agent(c); err == nil {
				t.Errorf("Agent accepted %+v", c)
			}
		})
	}
	c := githubConfig()
	c.Repo = "not a repo"
	if _, err := cloudinit.Agent(c); err == nil {
		t.Errorf("Agent accepted repo %q", c.Repo)
	}
}
