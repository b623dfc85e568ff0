package bind_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/bind"
)

const handWritten = `
# Hand-written forwarder, Debian style.
include "/etc/bind/named.conf.default-zones";
acl vnets { 10.0.0.0/16; 10.1.0.0/16; };
acl onprem { 192.168.10.0/24; };
options {
	directory "/var/cache/bind";   // cache
	/* multi-line
	   comment; with { braces } */
	listen-on port 53 { 10.0.1.4; };
	listen-on-v6 { none; };
	allow-query { vnets; onprem; localhost; };
	allow-recursion { vnets; onprem; };
	forwarders port 53 {
		168.63.129.16;
	};
	forward only;
	max-ncache-ttl 15s;
	dnssec-validation no;
	auth-nxdomain no;
};
zone "privatelink.vaultcore.azure.net" { type forward; forward only; forwarders { 168.63.129.16; }; };
zone "vault.azure.net" IN {
	type forward;
	forwarders { 168.63.129.16 port 53; };
};
zone "inherits.example" { type forward; forward first; };
zone "localhost" { type master; file "/etc/bind/db.local"; };
logging { channel x { stderr; }; };
`

func TestParseHandWritten(t *testing.T) {
	got, notes, err := bind.ParseNotes(handWritten)
	if err != nil {
		t.Fatal(err)
	}
	azure := addrList("168.63.129.16")
	want := bind.Config{
		Directory: "/var/cache/bind",
		ListenOn:  addrList("10.0.1.4"),
		Port:      53,
		Allow: []netip.Prefix{
			netip.MustParsePrefix("10.0.0.0/16"), netip.MustParsePrefix("10.1.0.0/16"),
			netip.MustParsePrefix("192.168.10.0/24"),
		},
		Forwarders:       azure,
		ForwardOnly:      true,
		MaxNCacheTTL:     15 * time.Second,
		DNSSECValidation: bind.DNSSECNo,
		Zones: []bind.ForwardZone{
			{Name: "privatelink.vaultcore.azure.net", Forwarders: azure},
			{Name: "vault.azure.net", Forwarders: azure},
			{Name: "inherits.example", Forwarders: azure},
		},
	}
	if diff := cmp.Diff(got, want, cmpConfig...); diff != "" {
		t.Errorf("Parse (-got +want):\n%s", diff)
	}
	var texts []string
	for _, n := range notes {
		texts = append(texts, n.String())
	}
	all := strings.Join(texts, "\n")
	for _, w := range []string{"include", "localhost depends", "auth-nxdomain", `"localhost" of type "master"`, `"logging"`, "forward first"} {
		if !strings.Contains(all, w) {
			t.Errorf("notes lack %q:\n%s", w, all)
		}
	}
}

func TestParseAllow(t *testing.T) {
	tests := []struct {
		name string
		opts string
		want []netip.Prefix
	}{
		{"query only", "allow-query { 10.0.0.0/8; };", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}},
		{"cache fallback", "allow-query { any; }; allow-query-cache { 10.2.3.4; };", []netip.Prefix{netip.MustParsePrefix("10.2.3.4/32")}},
		{"intersection", "allow-query { 10.0.0.0/8; }; allow-recursion { 10.1.0.0/16; 192.168.0.0/16; };", []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}},
		{"unset", "", nil},
		{"unmasked", "allow-query { 10.1.2.3/16; };", []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := bind.Parse("options { " + tt.opts + " };")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.Allow, tt.want, cmpConfig...); diff != "" {
				t.Errorf("Allow (-got +want):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"unterminated comment", "/* x", "unterminated"},
		{"unterminated string", `options { directory "x; };`, "unterminated string"},
		{"missing semicolon", "options { forward only }", "missing ;"},
		{"unclosed", "options { forward only;", "not closed"},
		{"stray brace", "};", "unexpected }"},
		{"view", `view "x" { };`, "views"},
		{"negation", "options { allow-query { !10.0.0.1; any; }; };", "negated"},
		{"bad forwarder", "options { forwarders { vault.azure.net; }; };", "parse forwarder"},
		{"mixed ports", `options { forwarders { 10.0.0.1 port 5300; }; }; zone "x" { type forward; forwarders { 10.0.0.2; }; };`, "different ports"},
		{"recursion no", "options { recursion no; };", "recursion no"},
		{"bad ttl", "options { max-ncache-ttl 5x; };", "duration"},
		{"bad forward", "options { forward sometimes; };", "only or first"},
		{"two options", "options { }; options { };", "second options"},
		{"acl loop", "acl a { b; }; acl b { a; }; options { allow-query { a; }; };", "nesting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bind.Parse(tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %v, want one containing %q", tt.text, err, tt.want)
			}
		})
	}
}

func TestParseTTL(t *testing.T) {
	for text, want := range map[string]time.Duration{
		"15": 15 * time.Second, "15s": 15 * time.Second, "1m30s": 90 * time.Second, "2H": 2 * time.Hour, "1w": 7 * 24 * time.Hour,
	} {
		c, err := bind.Parse("options { max-ncache-ttl " + text + "; };")
		if err != nil {
			t.Errorf("parse %q: %v", text, err)
			continue
		}
		if c.MaxNCacheTTL != want {
			t.Errorf("max-ncache-ttl %s = %v, want %v", text, c.MaxNCacheTTL, want)
		}
	}
}

// FuzzParse checks that Parse never panics and that whatever it accepts
// renders to text that parses back to the same Config.
func FuzzParse(f *testing.F) {
	f.Add(handWritten)
	for _, c := range sampleConfigs() {
		f.Add(bind.Render(c))
	}
	f.Add(`zone "x" { type forward; forwarders port 1 { ::1; }; };`)
	f.Fuzz(func(t *testing.T, text string) {
		c, err := bind.Parse(text)
		if err != nil {
			return
		}
		again, err := bind.Parse(bind.Render(c))
		if err != nil {
			t.Fatalf("parse rendered config: %v\n%s", err, bind.Render(c))
		}
		if diff := cmp.Diff(again, c, cmpConfig...); diff != "" {
			t.Errorf("Parse(Render(Parse(x))) (-got +want):\n%s", diff)
		}
	})
}
