package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/testenv"
)

const estateSubID = "00000000-0000-0000-0000-000000000000"

// aksBaselineArgs are the --template values that read the aks-baseline
// files as one estate, each in its resource group.
func aksBaselineArgs(t *testing.T) []string {
	dir := testenv.Testdata(t, "arm")
	spokeVNet := "/subscriptions/" + estateSubID + "/resourceGroups/rg-enterprise-networking-spokes/providers/Microsoft.Network/virtualNetworks/vnet-spoke-BU0001A0008-00"
	hubVNet := "/subscriptions/" + estateSubID + "/resourceGroups/rg-enterprise-networking-hubs/providers/Microsoft.Network/virtualNetworks/vnet-eastus2-hub"
	return []string{
		"--template", filepath.Join(dir, "mspnp__aks-baseline__networking__hub-regionA.json") + ",resource-group=rg-enterprise-networking-hubs,param=location=eastus2,param=nodepoolSubnetResourceIds=[\"" + spokeVNet + "/subnets/snet-clusternodes\"]",
		"--template", filepath.Join(dir, "mspnp__aks-baseline__networking__spoke-BU0001A0008.json") + ",resource-group=rg-enterprise-networking-spokes,param=location=eastus2,param=hubVnetResourceId=" + hubVNet,
		"--template", filepath.Join(dir, "mspnp__aks-baseline__acr-stamp.json") + ",resource-group=rg-bu0001a0008,param=location=eastus2,param=targetVnetResourceId=" + spokeVNet,
		"--template", filepath.Join(dir, "mspnp__aks-baseline__cluster-stamp.json") + ",resource-group=rg-bu0001a0008,parameters=" + filepath.Join(dir, "mspnp__aks-baseline__azuredeploy.parameters.prod.json") +
			",param=targetVnetResourceId=" + spokeVNet + ",param=domainName=contoso.com,param=clusterAuthorizedIPRanges=[\"203.0.113.0/28\"]",
	}
}

func TestVerifyEstateOfTemplates(t *testing.T) {
	_, out, errOut := run(t, append([]string{"verify"}, aksBaselineArgs(t)...)...)
	for _, want := range []string{"✓ node pool aks-c5vxlfucpfnvm/npuser01 → registry", "✓ node pool aks-c5vxlfucpfnvm/npuser01 → key vault",
		// The spoke's Allow443InBound names VirtualNetwork as destination.
		"✓ Internet → apw-aks-c5vxlfucpfnvm public frontend",
		// The hub firewall's rules name the node subnets by IP group.
		"✓ node pool aks-c5vxlfucpfnvm/npsystem → AKS required endpoints", "✓ node pool aks-c5vxlfucpfnvm/npuser01 → AKS required endpoints",
		"12 intents, 12 pass, 0 fail"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s\n%s", want, out, errOut)
		}
	}
}

func TestVerifyEstateManifest(t *testing.T) {
	dir := testenv.Testdata(t, "arm")
	spokeVNet := "/subscriptions/" + estateSubID + "/resourceGroups/rg-enterprise-networking-spokes/providers/Microsoft.Network/virtualNetworks/vnet-spoke-BU0001A0008-00"
	manifest := `templates:
  - template: ` + filepath.Join(dir, "mspnp__aks-baseline__networking__spoke-BU0001A0008.json") + `
    resourceGroup: rg-enterprise-networking-spokes
    param: {location: eastus2, hubVnetResourceId: /subscriptions/` + estateSubID + `/resourceGroups/rg-enterprise-networking-hubs/providers/Microsoft.Network/virtualNetworks/vnet-eastus2-hub}
  - template: ` + filepath.Join(dir, "mspnp__aks-baseline__acr-stamp.json") + `
    resourceGroup: rg-bu0001a0008
    param: {location: eastus2, targetVnetResourceId: ` + spokeVNet + `}
  - template: ` + filepath.Join(dir, "mspnp__aks-baseline__cluster-stamp.json") + `
    resourceGroup: rg-bu0001a0008
    parameters: ` + filepath.Join(dir, "mspnp__aks-baseline__azuredeploy.parameters.prod.json") + `
    param: {targetVnetResourceId: ` + spokeVNet + `, domainName: contoso.com, clusterAuthorizedIPRanges: ["203.0.113.0/28"]}
`
	path := filepath.Join(t.TempDir(), "estate.yaml")
	if err := os.WriteFile(path, []byte(manifest), 0o600); err != nil {
		t.Fatal(err)
	}
	_, out, errOut := run(t, "verify", "--estate", path)
	if !strings.Contains(out, "✓ node pool aks-c5vxlfucpfnvm/npsystem → registry") {
		t.Errorf("the manifest's estate does not join the registry to the pools:\n%s\n%s", out, errOut)
	}
}

func TestEstateBadInput(t *testing.T) {
	dir := testenv.Testdata(t, "arm")
	a := filepath.Join(dir, "mspnp__aks-baseline__acr-stamp.json")
	for name, args := range map[string][]string{
		"unknown option":           {"verify", "--template", a + ",colour=blue"},
		"global params with many":  {"verify", "--template", a, "--template", a, "--param", "location=eastus2"},
		"estate and template":      {"verify", "--estate", "x.yaml", "--template", a},
		"manifest with a bad key":  {"verify", "--estate", writeManifest(t, "templates:\n  - templat: x.json\n")},
		"manifest without entries": {"verify", "--estate", writeManifest(t, "templates: []\n")},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, errOut := run(t, args...)
			if code != 2 || errOut == "" {
				t.Errorf("exit %d, stderr %q; want 2 with a message", code, errOut)
			}
		})
	}
}

func writeManifest(t *testing.T, body string) string {
	p := filepath.Join(t.TempDir(), "estate.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExplainNamesEachResourcesFile(t *testing.T) {
	args := append([]string{"explain", "--from", "aks-c5vxlfucpfnvm/npuser01", "--to", "acraksc5vxlfucpfnvm"}, aksBaselineArgs(t)...)
	_, out, errOut := run(t, args...)
	for _, want := range []string{"declared in:", "Microsoft.ContainerRegistry/registries acraksc5vxlfucpfnvm: ", "mspnp__aks-baseline__acr-stamp.json:117:9",
		"Microsoft.Network/virtualNetworks vnet-spoke-BU0001A0008-00: ", "mspnp__aks-baseline__networking__spoke-BU0001A0008.json:238:9",
		// A zone link written inside its zone: the child object's place.
		"privatelink.azurecr.io/to_vnet-spoke-BU0001A0008-00: ", "mspnp__aks-baseline__acr-stamp.json:99:17"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s\n%s", want, out, errOut)
		}
	}
}

// multiRegionArgs read one region of mspnp/aks-baseline-multi-region (hub,
// spoke, cluster: testdata/arm/README.md M1) as one estate.
func multiRegionArgs(t *testing.T, withHub bool) []string {
	dir := testenv.Testdata(t, "arm")
	m := filepath.Join(dir, "mspnp__aks-baseline-multi-region__")
	rg := "/subscriptions/" + estateSubID + "/resourceGroups/"
	spoke := rg + "rg-enterprise-networking-spokes/providers/Microsoft.Network/virtualNetworks/vnet-hub-spoke-BU0001A0042-03"
	var args []string
	if withHub {
		args = append(args, "--template", m+"networking__hub-region.v1.1.json,resource-group=rg-enterprise-networking-hubs,parameters="+m+
			"networking__hub-region.parameters.eastus2.json,param=nodepoolSubnetResourceIds=[\""+spoke+"/subnets/snet-clusternodes\"]"+
			// the base policy comes from the repository's hub-default deployment, not among these files
			",param=baseFirewallPoliciesId="+rg+"rg-enterprise-networking-hubs/providers/Microsoft.Network/firewallPolicies/fw-policies-base,param=firewallPolicyLocation=eastus2")
	}
	return append(args,
		"--template", m+"networking__spoke-BU0001A0042.json,resource-group=rg-enterprise-networking-spokes,parameters="+m+
			"networking__spoke-BU0001A0042.parameters.eastus2.json,param=hubVnetResourceId="+rg+"rg-enterprise-networking-hubs/providers/Microsoft.Network/virtualNetworks/vnet-eastus2-hub",
		"--template", m+"cluster-stamp.json,resource-group=rg-bu0001a0042-03,parameters="+m+"azuredeploy.parameters.eastus2.json,param=targetVnetResourceId="+spoke+
			",param=containerRegistryId="+rg+"rg-bu0001a0042-shared/providers/Microsoft.ContainerRegistry/registries/acraks03"+
			",param=logAnalyticsWorkspaceId="+rg+"rg-bu0001a0042-shared/providers/Microsoft.OperationalInsights/workspaces/la-aks"+
			",param=clusterAdminEntraGroupObjectId=11111111-1111-1111-1111-111111111111,param=k8sControlPlaneAuthorizationTenantId=22222222-2222-2222-2222-222222222222"+
			// base64 of "not a certificate": the certificate's bytes bear on no intent
			",param=aksIngressControllerCertificate=bm90IGEgY2VydGlmaWNhdGU=")
}

// The conclusions README M1 wrote before privaks ran.
func TestVerifyEstateMultiRegion(t *testing.T) {
	code, out, errOut := run(t, append([]string{"verify"}, multiRegionArgs(t, true)...)...)
	if code != ExitFailed {
		t.Errorf("exit %d, want %d", code, ExitFailed)
	}
	for _, want := range []string{
		"✓ node pool aks-yvs2lbsawperm/npsystem → AKS required endpoints", "✓ node pool aks-yvs2lbsawperm/npuser01 → AKS required endpoints",
		"✓ node pool aks-yvs2lbsawperm/npsystem → key vault kv-aks-yvs2lbsawperm", "✓ node pool aks-yvs2lbsawperm/npuser01 → key vault kv-aks-yvs2lbsawperm",
		"✗ Internet ↛ key vault kv-aks-yvs2lbsawperm",
		"✗ Internet → apw-aks-yvs2lbsawperm public frontend", "by rule DenyAllInBound",
		"the analysis is also incomplete",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s\n%s", want, out, errOut)
		}
	}
	if strings.Contains(out, "→ registry") {
		t.Errorf("a registry no source declares has an intent:\n%s", out)
	}
	// The Application Gateway's diagnostic settings, named
	// "/Microsoft.Insights/default", are an extension of the gateway.
	if strings.Contains(out, "diagnosticSettings") {
		t.Errorf("diagnostic settings left out:\n%s", out)
	}
	// Single fault: without the hub's file the firewall, its policy and
	// IP group lie outside every source: egress is unknown, not a pass.
	_, out, _ = run(t, append([]string{"verify"}, multiRegionArgs(t, false)...)...)
	if !strings.Contains(out, "? node pool aks-yvs2lbsawperm/npsystem → AKS required endpoints") {
		t.Errorf("without the hub, node egress is not unknown:\n%s", out)
	}
}

// aks-fabrikam-dronedelivery as one estate (testdata/arm/README.md M2):
// a classic firewall whose rules name the nodes by IP group.
func TestVerifyEstateDroneDelivery(t *testing.T) {
	dir := testenv.Testdata(t, "arm")
	f := filepath.Join(dir, "mspnp__aks-fabrikam-dronedelivery__")
	rg := "/subscriptions/" + estateSubID + "/resourceGroups/"
	spoke := rg + "rg-enterprise-networking-spokes/providers/Microsoft.Network/virtualNetworks/vnet-hub-spoke-ShippingDroneDelivery-00"
	code, out, errOut := run(t, "verify",
		"--template", f+"networking__hub-regionA.json,resource-group=rg-enterprise-networking-hubs,param=location=eastus2,param=nodepoolSubnetResourceIds=[\""+spoke+"/subnets/snet-clusternodes\"]",
		"--template", f+"networking__spoke-shipping-dronedelivery.json,resource-group=rg-enterprise-networking-spokes,param=location=eastus2,param=hubVnetResourceId="+rg+"rg-enterprise-networking-hubs/providers/Microsoft.Network/virtualNetworks/vnet-eastus2-hub",
		"--template", f+"cluster-stamp.json,resource-group=rg-shipping-dronedelivery,parameters="+f+"azuredeploy.parameters.prod.json,param=targetVnetResourceId="+spoke+
			",param=k8sRbacEntraAdminGroupObjectID=11111111-1111-1111-1111-111111111111,param=k8sRbacEntraProfileTenantId=22222222-2222-2222-2222-222222222222"+
			",param=clusterAuthorizedIPRanges=[\"203.0.113.0/28\"],param=acrResourceGroupName=rg-shipping-dronedelivery-acr"+
			// the workload identities and registry come from the repository's earlier deployment steps
			",param=acrName=acrdronedelivery,param=deliveryIdName=uid-delivery,param=droneSchedulerIdName=uid-dronescheduler"+
			",param=workflowIdName=uid-workflow,param=ingressControllerIdName=uid-ingress,param=ingressControllerPrincipalId=33333333-3333-3333-3333-333333333333")
	if code != ExitFailed {
		t.Errorf("exit %d, want %d", code, ExitFailed)
	}
	for _, want := range []string{
		"✓ node pool aks-qnkgpjtrap6zc/npsystem → key vault kv-aks-qnkgpjtrap6zc", "✓ node pool aks-qnkgpjtrap6zc/npuser01 → key vault kv-aks-qnkgpjtrap6zc",
		"✗ Internet ↛ key vault kv-aks-qnkgpjtrap6zc",
		// mcr, management and login pass the IP-group rules; the
		// AzureCloud network rule leaves packages.aks.azure.com open.
		"? node pool aks-qnkgpjtrap6zc/npsystem → AKS required endpoints",
		"packages.aks.azure.com:443: firewall fw-eastus2-hub: network rule AKS-Global-Requirements/managed-k8s-api-tcp-443 applies to [AzureCloud]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s\n%s", want, out, errOut)
		}
	}
	if strings.Contains(out, "→ registry") {
		t.Errorf("a registry no source declares has an intent:\n%s", out)
	}
}
