package compile

import (
	"fmt"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/spec"
)

// Compile turns a validated design into a resource-group-scope ARM
// template. The same design always gives the same template, byte for byte
// once marshalled with arm.Marshal.
func Compile(d *spec.Design) (*arm.Template, error) {
	b := &builder{d: d, after: map[*arm.Resource][]*arm.Resource{}}
	b.network()
	b.bastion()
	b.privateZones()
	dnsReady, err := b.dnsForwarder()
	if err != nil {
		return nil, err
	}
	b.registry()
	b.vault()
	ws := b.workspace()
	b.appGateway()
	cluster := b.aks(ws, dnsReady)
	b.workloads()
	if _, err := b.agent(dnsReady); err != nil {
		return nil, err
	}
	_ = cluster
	b.inferDependsOn()

	t := &arm.Template{
		Schema:         arm.SchemaResourceGroup,
		ContentVersion: "1.0.0.0",
		Metadata: map[string]any{
			"generator":   "privaks",
			"landingZone": d.Name,
		},
		Parameters: map[string]arm.Parameter{
			ParamSSHKey: {Type: "string", Metadata: map[string]any{
				"description": "OpenSSH public key for the admin user of the DNS forwarder and CI agent VMs"}},
			ParamAgentToken: {Type: "securestring", DefaultValue: "", Metadata: map[string]any{
				"description": "CI agent registration token, stored in Key Vault; empty keeps the stored one"}},
		},
		Outputs: b.outputs(),
	}
	for _, r := range b.resources {
		t.Resources = append(t.Resources, *r)
	}
	return t, nil
}

// Parameters returns the parameters file for a design: only values that
// are not secret (the SSH public key when the spec gives one). Secrets are
// passed at deploy time and never written.
func Parameters(d *spec.Design) *arm.ParametersFile {
	p := &arm.ParametersFile{Schema: arm.SchemaParameters, ContentVersion: "1.0.0.0",
		Parameters: map[string]arm.ParameterValue{}}
	if d.SSHPublicKey != "" {
		p.Parameters[ParamSSHKey] = arm.ParameterValue{Value: d.SSHPublicKey}
	}
	return p
}

// outputs are the values known only after deployment that the workload
// manifests need (render --from-deployment reads them).
func (b *builder) outputs() map[string]arm.Output {
	d := b.d
	clientIDs := map[string]any{}
	for _, w := range d.Workloads {
		clientIDs[w.Name] = ref(tUAMI, apiIdentity, "clientId", WorkloadIdentityName(w.Name))
	}
	return map[string]arm.Output{
		"tenantId":            {Type: "string", Value: "[subscription().tenantId]"},
		"aksName":             {Type: "string", Value: d.AKSName},
		"oidcIssuerUrl":       {Type: "string", Value: ref(tAKS, apiAKS, "oidcIssuerProfile.issuerURL", d.AKSName)},
		"keyVaultName":        {Type: "string", Value: d.KeyVaultName},
		"acrLoginServer":      {Type: "string", Value: ref(tACR, apiACR, "loginServer", d.RegistryName)},
		"workloadClientIds":   {Type: "object", Value: clientIDs},
		"appGatewayPrivateIp": {Type: "string", Value: d.AppGwPrivateIP.String()},
		"dnsForwarderIp":      {Type: "string", Value: d.ForwarderIP.String()},
	}
}

// Artifacts are the files plan writes, by relative path.
func Artifacts(d *spec.Design) (map[string][]byte, error) {
	t, err := Compile(d)
	if err != nil {
		return nil, err
	}
	tb, err := arm.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("marshal template: %w", err)
	}
	pb, err := arm.Marshal(Parameters(d))
	if err != nil {
		return nil, fmt.Errorf("marshal parameters: %w", err)
	}
	return map[string][]byte{"azuredeploy.json": tb, "azuredeploy.parameters.json": pb}, nil
}
