package spec

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func authorizedKey(t *testing.T, pub any) string {
	t.Helper()
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + " user@host"
}

func parseErr(t *testing.T, yaml string) *Error {
	t.Helper()
	_, _, err := Parse("bad.yaml", []byte(yaml))
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("want *Error, got %v", err)
	}
	return se
}

func TestAzureRulesBeforeAzure(t *testing.T) {
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	rsa2048, _ := rsa.GenerateKey(rand.Reader, 2048)
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	good := []struct{ name, yaml string }{
		{"ed25519 key", header + "vms:\n  sshPublicKey: " + authorizedKey(t, edPub) + "\n"},
		{"rsa 2048 key", header + "vms:\n  sshPublicKey: " + authorizedKey(t, &rsa2048.PublicKey) + "\n"},
		{"display-cased region is still refused below; lower case accepted", header + "region: westeurope\n"},
		{"sovereign region", header + "region: usgovvirginia\n"},
		{"github repository", "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent: {kind: github, url: \"https://github.com/acme/app\"}\n"},
	}
	for _, c := range good {
		if _, _, err := Parse("good.yaml", []byte(c.yaml)); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	bad := []struct{ name, yaml, want string }{
		{"unknown region", header + "region: narnia\n", "bad.yaml:5:9: region: \"narnia\" is not an Azure region that offers AKS"},
		{"mistyped region", header + "region: westeurop\n", "did you mean westeurope?"},
		{"display name region", header + "region: West Europe\n", "did you mean westeurope?"},
		{"not a key", header + "vms:\n  sshPublicKey: \"ssh-rsa notakey\"\n", "bad.yaml:6:17: vms.sshPublicKey: not an OpenSSH public key"},
		{"short rsa key", header + "vms:\n  sshPublicKey: " + authorizedKey(t, &rsa1024.PublicKey) + "\n", "an RSA key of 1024 bits; Azure requires at least 2048"},
		{"ecdsa key", header + "vms:\n  sshPublicKey: " + authorizedKey(t, &ec.PublicKey) + "\n", "Azure accepts only ssh-rsa (2048 bits or more) and ssh-ed25519"},
		{"private key", header + "vms:\n  sshPublicKey: \"-----BEGIN OPENSSH PRIVATE KEY-----\"\n", "this is a PRIVATE key"},
		{"bad vm size", header + "vms:\n  size: B2s\n", "vms.size: \"B2s\" is not an Azure VM size"},
		{"bad taint", header + "aks:\n  nodePools:\n  - name: sys\n    taints: [\"a=b:Sometimes\"]\n", "aks.nodePools[0].taints[0]"},
		{"bad image", header + "workloads:\n  - name: web\n    image: \"my image\"\n", "workloads[0].image"},
		{"github url elsewhere", "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent: {kind: github, url: \"https://gitlab.com/acme\"}\n", "want https://github.com/<owner>[/<repo>]"},
		{"http url", "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent: {url: \"http://dev.azure.com/acme\"}\n", "want an https:// URL"},
		{"too many node pools", header + "aks:\n  nodePools:\n" + strings.Repeat("  - name: p\n    mode: System\n", 101), "aks.nodePools: 101 entries; at most 100"},
		{"derived dnsServiceIP", header + "aks:\n  serviceCIDR: 172.16.0.0/29\n", "bad.yaml:6:16: aks.dnsServiceIP: 172.16.0.10 is outside serviceCIDR 172.16.0.0/29 (derived from aks.serviceCIDR; set aks.dnsServiceIP explicitly to choose another)"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			if err := parseErr(t, c.yaml); !strings.Contains(err.Error(), c.want) {
				t.Errorf("error\n%v\ndoes not contain\n%s", err, c.want)
			}
		})
	}
}

// A URL with a credential is refused; the message names the field and
// never repeats the value.
func TestURLCredentialsNeverEchoed(t *testing.T) {
	for _, u := range []string{
		"https://user:Tk9secretZ@dev.azure.com/acme",
		"https://Tk9secretZ@dev.azure.com/acme",
		"https://dev.azure.com/acme?sig=Tk9secretZ",
		"https://dev.azure.com/acme?token=Tk9secretZ&x=1",
		"https://dev.azure.com/acme#Tk9secretZ",
		"https://github.com/acme?access_token=Tk9secretZ",
		"ht!tp://[Tk9secretZ",
	} {
		err := parseErr(t, "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent:\n  url: \""+u+"\"\n")
		msg := err.Error()
		if strings.Contains(msg, "Tk9secretZ") {
			t.Errorf("%s: the value was echoed:\n%s", u, msg)
		}
		if !strings.Contains(msg, "bad.yaml:5:8: agent.url:") {
			t.Errorf("%s: the field is not named:\n%s", u, msg)
		}
	}
}

func TestPlaceholdersFound(t *testing.T) {
	d, _, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Placeholders) != 1 || d.Placeholders[0].Path != "$.agent.url" || d.Placeholders[0].Line == 0 {
		t.Fatalf("reference design placeholders = %+v, want agent.url located", d.Placeholders)
	}
	if err := d.PlaceholderError(); err == nil || !strings.Contains(err.Error(), "embedded reference design:") {
		t.Errorf("PlaceholderError = %v", err)
	}
	own, _, err := Parse("own.yaml", []byte(strings.Replace(header, "contoso", "acme-platform", 1)+"aks:\n  adminGroupObjectIDs: [\"00000000-0000-0000-0000-000000000000\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(own.Placeholders) != 1 || own.Placeholders[0].Path != "$.aks.adminGroupObjectIDs[0]" {
		t.Errorf("placeholders = %+v, want only the zero GUID", own.Placeholders)
	}
}

func TestEveryUnknownKeyReported(t *testing.T) {
	err := parseErr(t, header+"regoin: westeurope\nnetwork:\n  hub:\n    adressSpace: 10.0.0.0/22\nregistry:\n  name: x\n")
	msg := err.Error()
	for _, want := range []string{
		"bad.yaml:5:1: regoin: unknown field \"regoin\"; did you mean region?",
		"bad.yaml:8:5: network.hub.adressSpace: unknown field \"adressSpace\"; did you mean addressSpace?",
		"bad.yaml:10:9: registry.name: \"x\": ACR names", // validation runs beside the unknown keys
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error\n%s\nlacks\n%s", msg, want)
		}
	}
}

func TestYAMLBounds(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"nested brackets", header + "network:\n  onPremises: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n", "bad.yaml:6:31: (document): brackets nested more than 16 deep"},
		{"deep blocks", header + "x:\n" + func() string {
			var b strings.Builder
			for i := 1; i < 60; i++ {
				b.WriteString(strings.Repeat(" ", i) + "a:\n")
			}
			return b.String()
		}(), "nested more than 32 levels deep"},
		{"too large", header + "#" + strings.Repeat("x", MaxSpecBytes) + "\n", "a spec is at most 262144"},
		{"huge flow list", header + "network:\n  onPremises: [" + strings.Repeat("10.0.0.0/8, ", 20_000) + "]\n", "more than 2000 entries in these brackets"},
		{"huge block list", header + "intents:\n" + strings.Repeat("  - {from: a, to: b}\n", 2001), "bad.yaml:2006:3: (document): more than 2000 entries at this level"},
		{"huge mapping", header + func() string {
			var b strings.Builder
			for i := range 3000 {
				fmt.Fprintf(&b, "k%d: 1\n", i)
			}
			return b.String()
		}(), "more than 2000 entries at this level"},
		{"two documents", header + "---\nname: other\n", "bad.yaml:6:1: (document): 2 YAML documents; a spec is one document"},
		{"tag on a sequence", header + "network:\n  onPremises: !a\n", "bad.yaml:6:15: network.onPremises: YAML tags (!a) are not accepted"},
		{"tag on a flow sequence", header + "network:\n  onPremises: !a [10.9.0.0/16]\n", "YAML tags (!a) are not accepted"},
		{"core tag", header + "region: !!str westeurope\n", "YAML tags (!!str) are not accepted"},
		{"anchor and alias", header + "aks:\n  nodePools:\n  - &p {name: sys, mode: System}\n  - *p\n", "YAML anchors (&) are not accepted"},
		{"merge key", header + "aks:\n  nodePools:\n  - {<<: {name: sys}, mode: System}\n", "merge keys"},
		{"not utf-8", header + "region: \xff\xfe\n", "bad.yaml:5:9: (document): not UTF-8"},
		{"mapping for a string", header + "region: {a: b}\n", "bad.yaml:5:9: region: want a single value, not a mapping"},
		{"text for a number", header + "aks:\n  nodePools:\n  - name: sys\n    maxPods: many\n", "aks.nodePools[0].maxPods: want a whole number, not text"},
		{"list for a mapping", header + "dns: [a]\n", "dns: want a mapping"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := parseErr(t, c.yaml); !strings.Contains(err.Error(), c.want) {
				t.Errorf("error\n%.600s\ndoes not contain\n%s", err, c.want)
			}
		})
	}
}

func TestBOMAccepted(t *testing.T) {
	if _, _, err := Parse("bom.yaml", append([]byte("\xEF\xBB\xBF"), ReferenceYAML()...)); err != nil {
		t.Fatalf("a UTF-8 BOM is refused: %v", err)
	}
}

// No message repeats a user value longer than ~80 characters.
func TestNoLongEcho(t *testing.T) {
	long := strings.Repeat("p", 40_000) // five of them stay under MaxSpecBytes
	err := parseErr(t, "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent:\n  url: https://dev.azure.com/acme\n  pool: "+long+"\nregion: "+long+"\nworkloads:\n  - name: "+long+"\n    secrets: ["+long+"]\n"+long+": 1\n")
	if len(err.Diags) < 5 {
		t.Errorf("want every problem, got %d:\n%.2000s", len(err.Diags), err)
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.Contains(line, strings.Repeat("p", 81)) {
			t.Errorf("a value of more than 80 characters is echoed: %.200s…", line)
		}
		if len(line) > 600 {
			t.Errorf("line of %d characters: %.200s…", len(line), line)
		}
	}
}

// The case: a 70 KB pool name, refused and not echoed.
func TestLongPoolName(t *testing.T) {
	err := parseErr(t, "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent:\n  url: https://dev.azure.com/acme\n  pool: "+strings.Repeat("p", 70_000)+"\n")
	if msg := err.Error(); !strings.Contains(msg, "bad.yaml:6:9: agent.pool:") || len(msg) > 300 {
		t.Errorf("%.400s", msg)
	}
}

// A list far over its bound is refused quickly, with its count, and the
// problems reported are capped.
func TestHugeListBounded(t *testing.T) {
	err := parseErr(t, header+"network:\n  onPremises: ["+strings.Repeat("10.0.0.0/8, ", 1500)+"]\n")
	if msg := err.Error(); !strings.Contains(msg, "network.onPremises: 1500 entries; at most 100") {
		t.Errorf("%.400s", msg)
	}
	if len(err.Diags) > MaxDiagnostics+1 {
		t.Errorf("%d problems reported; at most %d and a count", len(err.Diags), MaxDiagnostics)
	}
	if last := err.Diags[len(err.Diags)-1]; !strings.Contains(last.Message, "more problems") {
		t.Errorf("the count of the problems not shown is missing: %+v", last)
	}
}

func BenchmarkRefuseHugeList(b *testing.B) {
	data := []byte(header + "network:\n  onPremises: [" + strings.Repeat("10.0.0.0/8, ", 1500) + "]\n")
	for b.Loop() {
		if _, _, err := Parse("b.yaml", data); err == nil {
			b.Fatal("accepted")
		}
	}
}

func BenchmarkRefuseNestedBrackets(b *testing.B) {
	data := []byte(header + "network:\n  onPremises: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n")
	for b.Loop() {
		if _, _, err := Parse("b.yaml", data); err == nil {
			b.Fatal("accepted")
		}
	}
}

func BenchmarkParseReference(b *testing.B) {
	for b.Loop() {
		if _, _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}
