package compile

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/cloudinit"
)

// ParamAgentToken is the secure template parameter that carries the CI
// agent's registration token into Key Vault at deploy time. It is never
// written to any artifact: `privaks apply --secret agentRegistrationToken=@file`.
const ParamAgentToken = "agentRegistrationToken"

// agent writes the CI agent VM (system-assigned identity, no public IP),
// the Key Vault secret the token parameter fills, and the agent's roles:
// read that secret, get cluster credentials and deploy (Azure RBAC Cluster
// Admin on the cluster),
// push images.
func (b *builder) agent(dnsReady *arm.Resource) (*arm.Resource, error) {
	d := b.d
	ac := cloudinit.AgentConfig{
		Kind:              d.Agent.Kind,
		OrgURL:            d.Agent.URL,
		Pool:              d.Agent.Pool,
		Labels:            d.Agent.Labels,
		KeyVaultName:      d.KeyVaultName,
		KeyVaultDNSSuffix: "vault.azure.net",
		TokenSecretName:   d.Agent.TokenSecretName,
	}
	if d.Agent.Kind == "github" {
		// https://github.com/<owner>[/<repo>] → OrgURL + Repo.
		ac.OrgURL = "https://github.com"
		ac.Repo = strings.Trim(strings.TrimPrefix(d.Agent.URL, "https://github.com"), "/")
	}
	doc, err := cloudinit.Agent(ac)
	if err != nil {
		return nil, fmt.Errorf("render agent cloud-init: %w", err)
	}
	vm := b.linuxVM(vmOptions{name: nAgentVM, subnet: nAgentSub, customData: doc, systemIdentity: true})
	// The agent resolves through the forwarder: start it after DNS works.
	b.dependOn(vm, dnsReady)

	secret := b.add(&arm.Resource{Type: tSecret, APIVersion: apiKeyVault, Name: d.KeyVaultName + "/" + d.Agent.TokenSecretName,
		Condition: fmt.Sprintf("[not(empty(parameters('%s')))]", ParamAgentToken),
		Properties: map[string]any{
			"value":       fmt.Sprintf("[parameters('%s')]", ParamAgentToken),
			"contentType": "text/plain",
		}})
	_ = secret
	p := principal{key: nAgentVM, id: refFull(tVM, apiCompute, "identity.principalId", nAgentVM)}
	b.roleAssignment(tVault, []string{d.KeyVaultName}, roleKeyVaultSecretsUser, p, "CI agent reads its registration token")
	b.roleAssignment(tAKS, []string{d.AKSName}, roleAKSClusterUser, p, "CI agent gets cluster credentials")
	// The agent creates namespaces and SecretProviderClasses (custom
	// resources): Azure Kubernetes Service RBAC Writer can do neither, so
	// the deploying identity gets RBAC Cluster Admin on this one cluster.
	b.roleAssignment(tAKS, []string{d.AKSName}, roleAKSRBACClusterAdmin, p, "CI agent deploys workloads (namespaces, custom resources)")
	b.roleAssignment(tACR, []string{d.RegistryName}, roleAcrPush, p, "CI agent pushes images")
	return vm, nil
}
