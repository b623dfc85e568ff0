package diagram_test

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/diagram"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/twin"
)

// Variants are the designs every renderer is tried on: the reference
// design and the spec variants the verifier proves.
var Variants = map[string]string{
	"nat-gateway": "",
	"firewall":    "egress:\n  mode: firewall\n",
	"aks-nat":     "egress:\n  aksOutboundType: natGateway\n",
	"on-prem-dns": "network:\n  onPremises: [192.168.0.0/16]\ndns:\n  upstream: [192.168.10.53]\n",
}

func reference(t testing.TB) *twin.Twin { return fixture.Model(t, fixture.Reference(t)) }

func model(t testing.TB, tw *twin.Twin) *diagram.Model {
	return diagram.Build(tw, diagram.Options{})
}

// labels maps every node's and group's first line to the rest.
func labels(m *diagram.Model) (nodes map[string]*diagram.Node, all string) {
	nodes = map[string]*diagram.Node{}
	var b strings.Builder
	m.Walk(func(g *diagram.Group, _ int) { b.WriteString(strings.Join(g.Label, " ") + "\n") },
		func(n *diagram.Node, _ *diagram.Group) {
			nodes[n.ID] = n
			b.WriteString(strings.Join(n.Label, " ") + "\n")
		})
	return nodes, b.String()
}

func TestReferenceModelShowsTheDesign(t *testing.T) {
	m := model(t, reference(t))
	_, all := labels(m)
	for _, want := range []string{
		"Internet", "On-premises", "VNet vnet-hub  10.0.0.0/22", "VNet vnet-aks  10.1.0.0/16",
		"subnet snet-dns  10.0.0.64/27", "subnet AzureBastionSubnet  10.0.0.0/26",
		"VM vm-dns (DNS forwarder, BIND) 10.0.0.68", "VM vm-agent 10.0.0.100",
		"Bastion bas-hub", "node pool aks-privaks/system", "node pool aks-privaks/user",
		"AKS API server aks-privaks 10.1.0.4 (private endpoint)",
		"Application Gateway agw-aks (WAF)", "public frontend pip-appgw listeners :80 :443", "private frontend 10.1.4.254 listeners none",
		"public IP pip-appgw", "public IP pip-bastion", "NAT gateway ng-hub",
		"private endpoint pe-kv 10.0.1.6", "Key Vault kv-privaks-0e1a84", "zone privatelink.vaultcore.azure.net",
		"Azure DNS 168.63.129.16", "workload orders service account orders/orders", "managed identity id-wl-orders",
		"secret orders-db-password", "Legend",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("diagram lacks %q", want)
		}
	}
}

// edgesOf returns "fromLabel -kind-> toLabel" for each edge, reading
// group edges as their group.
func edgesOf(m *diagram.Model) []string {
	nodes, _ := labels(m)
	groups := map[string]*diagram.Group{}
	m.Walk(func(g *diagram.Group, _ int) { groups[g.ID] = g }, nil)
	name := func(node, group string) string {
		if group != "" {
			return groups[group].Label[0]
		}
		return nodes[node].Label[0]
	}
	var out []string
	for _, e := range m.Edges {
		out = append(out, name(e.From, e.FromGroup)+" -"+string(e.Kind)+"-> "+name(e.To, e.ToGroup))
	}
	return out
}

func TestReferenceModelEdges(t *testing.T) {
	m := model(t, reference(t))
	edges := strings.Join(edgesOf(m), "\n")
	for _, want := range []string{
		// each private endpoint beside the service it fronts
		"private endpoint pe-kv -privatelink-> kv-privaks-0e1a84.vault.azure.net",
		"private endpoint pe-acr registry -privatelink-> Container Registry acrprivaks0e1a84",
		// each VNet's DNS path to its server, and the forwarder's own
		"VNet vnet-aks  10.1.0.0/16 -dns-> VM vm-dns (DNS forwarder, BIND)",
		"VNet vnet-hub  10.0.0.0/22 -dns-> VM vm-dns (DNS forwarder, BIND)",
		"VM vm-dns (DNS forwarder, BIND) -dns-> Azure DNS 168.63.129.16",
		// zones and the VNets they are linked to
		"zone privatelink.vaultcore.azure.net -zonelink-> VNet vnet-hub  10.0.0.0/22",
		// peering, egress, ingress, identity
		"VNet vnet-aks  10.1.0.0/16 -peering-> VNet vnet-hub  10.0.0.0/22",
		"subnet snet-dns  10.0.0.64/27 -route-> NAT gateway ng-hub",
		"Internet clients -traffic-> public IP pip-appgw",
		"public IP pip-appgw -traffic-> public frontend pip-appgw",
		"workload orders -identity-> managed identity id-wl-orders",
		"managed identity id-wl-orders -identity-> secret orders-db-password",
	} {
		if !strings.Contains(edges, want) {
			t.Errorf("no edge %q in\n%s", want, edges)
		}
	}
	// The Mermaid read "Bastion → registry → key vault": no
	// private-link edge may start anywhere but at a private endpoint.
	nodes, _ := labels(m)
	for _, e := range m.Edges {
		if e.Kind == diagram.EdgePrivate && nodes[e.From].Kind != diagram.KindEndpoint {
			t.Errorf("private-link edge from %v", nodes[e.From].Label)
		}
	}
}

func TestFirewallVariantDrawsTheRoutes(t *testing.T) {
	m := model(t, fixture.Model(t, fixture.Variant(t, Variants["firewall"])))
	edges := strings.Join(edgesOf(m), "\n")
	if !regexp.MustCompile(`subnet snet-nodes .* -route-> Azure Firewall`).MatchString(edges) {
		t.Errorf("no route from the node subnet to the firewall:\n%s", edges)
	}
	if !strings.Contains(edges, "Azure Firewall") || !strings.Contains(edges, "-traffic-> Internet clients") {
		t.Errorf("no firewall egress to the Internet:\n%s", edges)
	}
}

func TestOnPremisesDNSIsOutsideTheSet(t *testing.T) {
	m := model(t, fixture.Model(t, fixture.Variant(t, Variants["on-prem-dns"])))
	var onprem *diagram.Group
	m.Walk(func(g *diagram.Group, _ int) {
		if g.Kind == diagram.KindOnPrem {
			onprem = g
		}
	}, nil)
	if onprem == nil {
		t.Fatal("no on-premises boundary")
	}
	var server *diagram.Node
	for _, n := range onprem.Nodes {
		if strings.Contains(n.Label[0], "192.168.10.53") {
			server = n
		}
	}
	if server == nil {
		t.Fatalf("upstream resolver not drawn on premises: %+v", onprem.Nodes)
	}
	edges := strings.Join(edgesOf(m), "\n")
	if !strings.Contains(edges, "VM vm-dns (DNS forwarder, BIND) -dns-> DNS server 192.168.10.53") {
		t.Errorf("no forwarding edge to the upstream resolver:\n%s", edges)
	}
}

// TestEstateIsGrouped: 200 spokes are drawn as a handful of VNets.
func TestEstateIsGrouped(t *testing.T) {
	tw := fixture.Model(t, fixture.Estate(t, fixture.EstateSpokes, fixture.EstateZones, fixture.EstateEndpoints, fixture.EstateClusters))
	m := model(t, tw)
	vnets, nodes := 0, 0
	m.Walk(func(g *diagram.Group, _ int) {
		if g.Kind == diagram.KindVNet || g.Kind == diagram.KindSpokes {
			vnets++
		}
	}, func(*diagram.Node, *diagram.Group) { nodes++ })
	// The hub, one spoke with a cluster standing for the five, one
	// without for the 195 others.
	if vnets != 3 || nodes > 120 {
		t.Errorf("estate drawn with %d VNets and %d nodes: not grouped (%q)", vnets, nodes, m.Collapsed)
	}
	if len(m.Collapsed) == 0 || !strings.Contains(strings.Join(m.Collapsed, "\n"), "alike VNets") {
		t.Errorf("Collapsed = %q", m.Collapsed)
	}
	var b bytes.Buffer
	if err := m.SVG(&b, false); err != nil {
		t.Fatal(err)
	}
}

func render(t testing.TB, m *diagram.Model, format string) string {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "svg":
		err = m.SVG(&b, true)
	case "d2":
		err = m.D2(&b)
	case "dot":
		err = m.DOT(&b)
	default:
		err = m.Mermaid(&b)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestRenderersAreDeterministic renders every variant twice in every format.
func TestRenderersAreDeterministic(t *testing.T) {
	for name, extra := range Variants {
		t.Run(name, func(t *testing.T) {
			tmpl := fixture.Variant(t, extra)
			for _, f := range []string{"mermaid", "d2", "dot", "svg"} {
				a := render(t, model(t, fixture.Model(t, tmpl)), f)
				b := render(t, model(t, fixture.Model(t, tmpl)), f)
				if a != b {
					t.Errorf("%s: two renderings differ", f)
				}
			}
		})
	}
}

// TestSVGHoldsEveryNode parses the SVG: one group per model node and
// group, with its id and kind class, and every label line as text.
func TestSVGHoldsEveryNode(t *testing.T) {
	m := model(t, reference(t))
	out := render(t, m, "svg")
	type g struct {
		ID    string   `xml:"id,attr"`
		Class string   `xml:"class,attr"`
		Text  []string `xml:"text"`
		G     []g      `xml:"g"`
	}
	var doc struct {
		G []g `xml:"g"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	found := map[string]g{}
	var walk func([]g)
	walk = func(gs []g) {
		for _, x := range gs {
			found[x.ID] = x
			walk(x.G)
		}
	}
	walk(doc.G)
	legend := ""
	m.Walk(func(gr *diagram.Group, depth int) {
		if depth == 0 {
			return
		}
		if x, ok := found[gr.ID]; !ok || !strings.Contains(x.Class, "kind-"+string(gr.Kind)) {
			t.Errorf("group %s %q missing from the SVG", gr.ID, gr.Label)
		} else if gr.Kind == diagram.KindLegend {
			legend = strings.Join(x.Text, "\n")
		}
	}, func(n *diagram.Node, g *diagram.Group) {
		if g.Kind == diagram.KindLegend {
			// The legend is one table: each entry is a line of it.
			text := strings.TrimPrefix(strings.Join(n.Label, " "), "edge: ")
			if !strings.Contains(legend, text) {
				t.Errorf("legend lacks %q:\n%s", text, legend)
			}
			return
		}
		x, ok := found[n.ID]
		if !ok || !strings.Contains(x.Class, "pvk-node kind-"+string(n.Kind)) {
			t.Errorf("node %s %q missing from the SVG", n.ID, n.Label)
			return
		}
		if strings.Join(x.Text, "\n") != strings.Join(n.Label, "\n") {
			t.Errorf("node %s text %q, want %q", n.ID, x.Text, n.Label)
		}
	})
	if !strings.Contains(out, "@font-face") || strings.Contains(out, "<!--") {
		t.Errorf("standalone SVG without its font, or with Graphviz comments")
	}
}

// TestMermaidIsWellFormed checks the Mermaid structure: subgraphs are
// closed, and every edge joins nodes or subgraphs the diagram defines.
func TestMermaidIsWellFormed(t *testing.T) {
	out := render(t, model(t, reference(t)), "mermaid")
	if !strings.HasPrefix(out, "flowchart LR\n") {
		t.Fatalf("not a flowchart:\n%s", out)
	}
	if open, closed := strings.Count(out, "subgraph "), len(regexp.MustCompile(`(?m)^\s*end$`).FindAllString(out, -1)); open != closed {
		t.Errorf("%d subgraphs, %d ends", open, closed)
	}
	defined := map[string]bool{}
	def := regexp.MustCompile(`^\s*(?:subgraph\s+)?([nc][0-9]+)[\[\(\{>]`)
	edge := regexp.MustCompile(`^\s*([nc][0-9]+)\s+(?:-\.->|-\.-|<==>|-->)(?:\|"[^"|]*"\|)?\s+([nc][0-9]+)\s*$`)
	edges := 0
	for _, l := range strings.Split(out, "\n") {
		if m := edge.FindStringSubmatch(l); m != nil {
			edges++
			if !defined[m[1]] || !defined[m[2]] {
				t.Errorf("edge %q joins an undefined node", l)
			}
			continue
		}
		if m := def.FindStringSubmatch(l); m != nil {
			defined[m[1]] = true
		}
	}
	if edges < 15 {
		t.Fatalf("only %d edges recognised:\n%s", edges, out)
	}
}

func TestD2NamesEveryEdgeByPath(t *testing.T) {
	out := render(t, model(t, reference(t)), "d2")
	if !strings.Contains(out, "direction: right") || !regexp.MustCompile(`(?m)^c2\.c4 <-> c2\.c8: "peered"`).MatchString(out) {
		t.Errorf("D2 lacks the peering between the VNet containers:\n%s", out)
	}
	if strings.Count(out, "{") != strings.Count(out, "}") {
		t.Errorf("unbalanced braces")
	}
}

func BenchmarkEstateSVG(b *testing.B) {
	tw := fixture.Model(b, fixture.Estate(b, fixture.EstateSpokes, fixture.EstateZones, fixture.EstateEndpoints, fixture.EstateClusters))
	for b.Loop() {
		var out bytes.Buffer
		if err := diagram.Build(tw, diagram.Options{}).SVG(&out, true); err != nil {
			b.Fatal(err)
		}
	}
}
