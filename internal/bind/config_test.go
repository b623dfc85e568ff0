package bind_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/privaks/privaks/internal/bind"
)

var cmpConfig = []cmp.Option{cmpAddr, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }), cmpopts.EquateEmpty()}

func addrList(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, a := range s {
		out = append(out, netip.MustParseAddr(a))
	}
	return out
}

func TestForwarderFor(t *testing.T) {
	cfg := bind.Config{
		Forwarders: addrList("192.0.2.1"),
		Zones: []bind.ForwardZone{
			{Name: "vault.azure.net", Forwarders: addrList("168.63.129.16")},
			{Name: "privatelink.vaultcore.azure.net", Forwarders: addrList("10.0.0.4")},
			{Name: "vaultcore.azure.net", Forwarders: addrList("168.63.129.16")},
			{Name: "Example.COM.", Forwarders: nil},
		},
	}
	tests := []struct {
		name     string
		wantZone string
		want     []netip.Addr
	}{
		{"myvault.vault.azure.net", "vault.azure.net", addrList("168.63.129.16")},
		{"vault.azure.net.", "vault.azure.net", addrList("168.63.129.16")},
		{"MyVault.PrivateLink.VaultCore.Azure.Net.", "privatelink.vaultcore.azure.net", addrList("10.0.0.4")},
		{"data-prod-cac.vaultcore.azure.net", "vaultcore.azure.net", addrList("168.63.129.16")},
		{"xvault.azure.net", ".", addrList("192.0.2.1")},
		{"azure.net", ".", addrList("192.0.2.1")},
		{"www.example.com", "example.com", nil},
		{".", ".", addrList("192.0.2.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zone, got := cfg.ForwarderFor(tt.name)
			if zone != tt.wantZone {
				t.Errorf("zone = %q, want %q", zone, tt.wantZone)
			}
			if diff := cmp.Diff(got, tt.want, cmpConfig...); diff != "" {
				t.Errorf("servers (-got +want):\n%s", diff)
			}
		})
	}
}

func sampleConfigs() map[string]bind.Config {
	return map[string]bind.Config{
		"zero": {},
		"default": bind.Default("canadacentral", addrList("10.0.1.4"),
			[]netip.Prefix{netip.MustParsePrefix("10.0.0.0/16"), netip.MustParsePrefix("192.168.0.0/16")}),
		"everything": {
			Directory:        `/var/cache/"bind"`,
			PIDFile:          "/run/named/named.pid",
			ListenOn:         addrList("10.0.1.4", "10.0.1.5", "fd00::4"),
			Port:             5353,
			Allow:            []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")},
			Forwarders:       addrList("168.63.129.16", "10.0.0.9"),
			ForwarderPort:    5300,
			ForwardOnly:      true,
			Zones:            []bind.ForwardZone{{Name: "a.example", Forwarders: addrList("10.0.0.1")}, {Name: "b.example"}},
			MaxNCacheTTL:     15 * time.Second,
			DNSSECValidation: bind.DNSSECAuto,
			ValidateExcept:   []string{"privatelink.vaultcore.azure.net", "azmk8s.io"},
			QueryLog:         true,
		},
		"v6 only listen": {ListenOn: addrList("::1")},
		"port only":      {Port: 1053},
	}
}

func TestRoundTrip(t *testing.T) {
	for name, c := range sampleConfigs() {
		t.Run(name, func(t *testing.T) {
			text := bind.Render(c)
			got, err := bind.Parse(text)
			if err != nil {
				t.Fatalf("parse rendered config: %v\n%s", err, text)
			}
			if diff := cmp.Diff(got, c, cmpConfig...); diff != "" {
				t.Errorf("Parse(Render(c)) (-got +want):\n%s\n%s", diff, text)
			}
			if again := bind.Render(got); again != text {
				t.Errorf("Render is not deterministic across a round trip:\n%s\n---\n%s", again, text)
			}
		})
	}
}

func TestRenderDefault(t *testing.T) {
	text := bind.Render(bind.Default("canadacentral", addrList("10.0.1.4"), []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}))
	for _, want := range []string{
		"\tlisten-on { 10.0.1.4; };\n",
		"\tlisten-on-v6 { none; };\n",
		"\tallow-recursion { 10.0.0.0/8; };\n",
		"\tforwarders { 168.63.129.16; };\n",
		"\tforward only;\n",
		"\tmax-ncache-ttl 10;\n",
		"\tdnssec-validation no;\n",
		"\tquerylog no;\n",
		"zone \"privatelink.vaultcore.azure.net\" {\n\ttype forward;\n\tforward only;\n\tforwarders { 168.63.129.16; };\n};\n",
		"zone \"privatelink.canadacentral.azmk8s.io\" {",
		"zone \"canadacentral.data.azurecr.io\" {",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered default lacks %q:\n%s", want, text)
		}
	}
}

func TestRenderRoundsNCacheUp(t *testing.T) {
	text := bind.Render(bind.Config{MaxNCacheTTL: 300 * time.Millisecond})
	if !strings.Contains(text, "max-ncache-ttl 1;") {
		t.Errorf("300ms rendered as:\n%s", text)
	}
}
