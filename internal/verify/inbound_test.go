package verify_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/verify"
)

func agentPublicIP(t *testing.T, tm *arm.Template, sku string) {
	tm.Resources = append(tm.Resources, arm.Resource{Type: "Microsoft.Network/publicIPAddresses", APIVersion: netAPI, Name: "pip-agent",
		Location: "canadacentral", SKU: map[string]any{"name": sku}, Properties: map[string]any{"publicIPAllocationMethod": "Static"}})
	nic := find(t, tm, "Microsoft.Network/networkInterfaces", "nic-vm-agent")
	ic := nic.Properties["ipConfigurations"].([]any)[0].(map[string]any)["properties"].(map[string]any)
	ic["publicIPAddress"] = map[string]any{"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-agent')]"}
}

func allowFromInternet(t *testing.T, tm *arm.Template, nsg, proto, ports string) {
	n := find(t, tm, "Microsoft.Network/networkSecurityGroups", nsg)
	n.Properties["securityRules"] = append(list(n.Properties["securityRules"]), map[string]any{
		"name": "AllowInternet" + strings.ReplaceAll(ports, "-", "to"), "properties": map[string]any{"priority": 210 + len(list(n.Properties["securityRules"])), "direction": "Inbound", "access": "Allow",
			"protocol": proto, "sourcePortRange": "*", "sourceAddressPrefix": "Internet", "destinationAddressPrefix": "*", "destinationPortRange": ports}})
}

// publicLB puts nic-vm-agent behind a public Standard load balancer with
// one rule frontend:backend.
func publicLB(t *testing.T, tm *arm.Template, front, back int) {
	lbID := "[resourceId('Microsoft.Network/loadBalancers', 'lbe-agents')]"
	tm.Resources = append(tm.Resources,
		arm.Resource{Type: "Microsoft.Network/publicIPAddresses", APIVersion: netAPI, Name: "pip-lb", Location: "canadacentral",
			SKU: map[string]any{"name": "Standard"}, Properties: map[string]any{"publicIPAllocationMethod": "Static"}},
		arm.Resource{Type: "Microsoft.Network/loadBalancers", APIVersion: netAPI, Name: "lbe-agents", Location: "canadacentral",
			SKU: map[string]any{"name": "Standard"}, Properties: map[string]any{
				"frontendIPConfigurations": []any{map[string]any{"name": "fe", "properties": map[string]any{
					"publicIPAddress": map[string]any{"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-lb')]"}}}},
				"backendAddressPools": []any{map[string]any{"name": "agents"}},
				"loadBalancingRules": []any{map[string]any{"name": "web", "properties": map[string]any{
					"frontendIPConfiguration": map[string]any{"id": "[concat(" + lbID[1:len(lbID)-1] + ", '/frontendIPConfigurations/fe')]"},
					"backendAddressPool":      map[string]any{"id": "[concat(" + lbID[1:len(lbID)-1] + ", '/backendAddressPools/agents')]"},
					"protocol":                "Tcp", "frontendPort": front, "backendPort": back}}},
			}})
	nic := find(t, tm, "Microsoft.Network/networkInterfaces", "nic-vm-agent")
	ic := nic.Properties["ipConfigurations"].([]any)[0].(map[string]any)["properties"].(map[string]any)
	ic["loadBalancerBackendAddressPools"] = []any{map[string]any{"id": "[concat(" + lbID[1:len(lbID)-1] + ", '/backendAddressPools/agents')]"}}
}

// agentScaleSet adds a jumpbox scale set in snet-agents (the agent
// subnet's NSG applies), optionally with instance public IPs.
func agentScaleSet(tm *arm.Template, publicIPs bool) {
	ipc := map[string]any{"subnet": map[string]any{"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'snet-agents')]"}}
	if publicIPs {
		ipc["publicIPAddressConfiguration"] = map[string]any{"name": "pub", "sku": map[string]any{"name": "Standard"}, "properties": map[string]any{}}
	}
	tm.Resources = append(tm.Resources, arm.Resource{Type: "Microsoft.Compute/virtualMachineScaleSets", APIVersion: "2024-07-01", Name: "vmss-jump",
		Location: "canadacentral", SKU: map[string]any{"name": "Standard_B2s", "capacity": 2}, Properties: map[string]any{
			"orchestrationMode": "Flexible",
			"virtualMachineProfile": map[string]any{"networkProfile": map[string]any{"networkApiVersion": netAPI,
				"networkInterfaceConfigurations": []any{map[string]any{"name": "nic", "properties": map[string]any{"primary": true,
					"ipConfigurations": []any{map[string]any{"name": "ipc", "properties": ipc}}}}}}},
		}})
}

// TestInternetExposureEveryPort: "Internet ↛ VM" is judged on every port
// the NSGs open to a public IP or a public load balancer, not only 22 and
// 3389; scale set instances are judged the same way and are clients too.
func TestInternetExposureEveryPort(t *testing.T) {
	runDNSScenarios(t, []dnsScenario{
		{name: "HTTPS open to a public IP", mutate: func(t *testing.T, tm *arm.Template) {
			agentPublicIP(t, tm, "Standard")
			allowFromInternet(t, tm, "nsg-snet-agents", "Tcp", "443")
		}, want: map[string]string{"Internet ↛ vm-agent": verify.Fail + "|on port 443 (TCP) through public IP pip-agent"}},
		{name: "a high range open to a public IP", mutate: func(t *testing.T, tm *arm.Template) {
			agentPublicIP(t, tm, "Standard")
			allowFromInternet(t, tm, "nsg-snet-agents", "Tcp", "8000-8100")
		}, want: map[string]string{"Internet ↛ vm-agent": verify.Fail + "|port 8000 (ports 8000-8100)"}},
		{name: "UDP open to a public IP", mutate: func(t *testing.T, tm *arm.Template) {
			agentPublicIP(t, tm, "Standard")
			allowFromInternet(t, tm, "nsg-snet-agents", "Udp", "500")
		}, want: map[string]string{"Internet ↛ vm-agent": verify.Fail + "|(UDP)"}},
		{name: "benign: a Standard public IP behind NSGs that admit nothing", mutate: func(t *testing.T, tm *arm.Template) {
			agentPublicIP(t, tm, "Standard")
		}, want: map[string]string{"Internet ↛ vm-agent": verify.Pass}},
		{name: "public load balancer rule to an open backend port", mutate: func(t *testing.T, tm *arm.Template) {
			publicLB(t, tm, 443, 8443)
			allowFromInternet(t, tm, "nsg-snet-agents", "Tcp", "8443")
		}, want: map[string]string{"Internet ↛ vm-agent": verify.Fail + "|load balancer lbe-agents rule web (frontend port 443)"}},
		{name: "benign: public load balancer whose backend port the NSG closes", mutate: func(t *testing.T, tm *arm.Template) {
			publicLB(t, tm, 443, 8443)
		}, want: map[string]string{"Internet ↛ vm-agent": verify.Pass}},
		{name: "scale set with instance public IPs and SSH open", mutate: func(t *testing.T, tm *arm.Template) {
			agentScaleSet(tm, true)
			allowFromInternet(t, tm, "nsg-snet-agents", "Tcp", "22")
		}, want: map[string]string{"Internet ↛ vmss-jump": verify.Fail + "|on port 22 (TCP)"}},
		{name: "benign: scale set without public IPs is a private client", mutate: func(t *testing.T, tm *arm.Template) {
			agentScaleSet(tm, false)
		}, want: map[string]string{"Internet ↛ vmss-jump": verify.Pass, "vmss-jump → key vault": verify.Pass, "vmss-jump → API server": verify.Pass}},
		{name: "scale set in a subnet whose NSG blocks the vault", mutate: func(t *testing.T, tm *arm.Template) {
			agentScaleSet(tm, false)
			n := find(t, tm, "Microsoft.Network/networkSecurityGroups", "nsg-snet-agents")
			n.Properties["securityRules"] = append(list(n.Properties["securityRules"]), map[string]any{
				"name": "DenyPE", "properties": map[string]any{"priority": 100, "direction": "Outbound", "access": "Deny",
					"protocol": "Tcp", "sourcePortRange": "*", "sourceAddressPrefix": "*", "destinationAddressPrefix": "10.0.1.0/24", "destinationPortRange": "443"}})
		}, want: map[string]string{"vmss-jump → key vault": verify.Fail + "|DenyPE"}},
	})
}

// TestBasicPublicIPWithoutNSG: a Basic public IP with no NSG is open on
// every port; the failure says so.
func TestBasicPublicIPWithoutNSG(t *testing.T) {
	runDNSScenarios(t, []dnsScenario{{name: "basic public IP, NSGs removed", mutate: func(t *testing.T, tm *arm.Template) {
		agentPublicIP(t, tm, "Basic")
		hub := find(t, tm, "Microsoft.Network/virtualNetworks", "vnet-hub")
		for _, s := range list(hub.Properties["subnets"]) {
			if s.(map[string]any)["name"] == "snet-agents" {
				delete(s.(map[string]any)["properties"].(map[string]any), "networkSecurityGroup")
			}
		}
	}, want: map[string]string{"Internet ↛ vm-agent": verify.Fail + "|on port 1 (ports 1-65535) (TCP)"}}})
}
