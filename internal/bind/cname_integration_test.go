package bind_test

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/bind/bindtest"
)

// TestCNAMEChainAcrossForwardZones reproduces azure-rules §1.4a with the
// real named: default forwarders are public DNS (forward only), zero or
// more conditional forwarders go to Azure DNS, and the client asks for
// myvault.vault.azure.net. BIND sends every CNAME target to the forwarder
// of the target's zone, so the privatelink zone alone makes the answer
// private and the public zone alone does not. The upstream logs show that
// BIND asks again for every CNAME target even when the forwarder's answer
// already held the rest of the chain, and even when the target's forwarder
// is the same one.
func TestCNAMEChainAcrossForwardZones(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		zones []string
		want  []netip.Addr
		// wantAzure and wantPublic are the names each upstream is asked.
		wantAzure, wantPublic []string
	}{
		{
			name:       "none",
			want:       []netip.Addr{netip.MustParseAddr("52.228.1.2")},
			wantPublic: []string{"myvault.vault.azure.net", "myvault.privatelink.vaultcore.azure.net", "data-prod-cac.vaultcore.azure.net"},
		},
		{
			name:       "privatelink zone",
			zones:      []string{"privatelink.vaultcore.azure.net"},
			want:       []netip.Addr{netip.MustParseAddr("10.0.3.5")},
			wantAzure:  []string{"myvault.privatelink.vaultcore.azure.net"},
			wantPublic: []string{"myvault.vault.azure.net"},
		},
		{
			name:       "public zone only",
			zones:      []string{"vault.azure.net"},
			want:       []netip.Addr{netip.MustParseAddr("52.228.1.2")},
			wantAzure:  []string{"myvault.vault.azure.net"},
			wantPublic: []string{"myvault.privatelink.vaultcore.azure.net", "data-prod-cac.vaultcore.azure.net"},
		},
		{
			name:      "both public zones",
			zones:     []string{"vault.azure.net", "vaultcore.azure.net"},
			want:      []netip.Addr{netip.MustParseAddr("10.0.3.5")},
			wantAzure: []string{"myvault.vault.azure.net", "myvault.privatelink.vaultcore.azure.net"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := startStandIns(t)
			cfg := bind.Config{
				Forwarders:       []netip.Addr{publicAddr},
				ForwarderPort:    s.port,
				ForwardOnly:      true,
				DNSSECValidation: bind.DNSSECNo,
			}
			for _, z := range tt.zones {
				cfg.Zones = append(cfg.Zones, bind.ForwardZone{Name: z, Forwarders: []netip.Addr{azureAddr}})
			}
			srv := bindtest.Start(t, cfg)
			r := srv.Query(t, "myvault.vault.azure.net", dns.TypeA)
			if r.Rcode != dns.RcodeSuccess {
				t.Fatalf("rcode %s, want NOERROR; answer:\n%v", dns.RcodeToString[r.Rcode], r)
			}
			if diff := cmp.Diff(addrs(r), tt.want, cmpAddr); diff != "" {
				t.Errorf("answer addresses (-got +want):\n%s\nanswer:\n%v", diff, r)
			}
			if diff := cmp.Diff(s.azure.Names(), tt.wantAzure); diff != "" {
				t.Errorf("names Azure DNS was asked (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(s.public.Names(), tt.wantPublic); diff != "" {
				t.Errorf("names public DNS was asked (-got +want):\n%s", diff)
			}
			checkForwarderFor(t, cfg, s)
			checkPrediction(t, cfg, s, "myvault.vault.azure.net", tt.want)
		})
	}
}
