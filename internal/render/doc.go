// Package render writes what runs inside the landing zone, derived from the
// evaluated resource set (never from the spec), so that the files match
// whatever set they come from:
//
//   - CloudInit: the cloud-init documents of the DNS forwarder and CI agent
//     VMs, decoded from the VMs' osProfile.customData;
//   - Kubernetes: per workload, a Namespace, a ServiceAccount bound to the
//     workload's user-assigned identity with Microsoft Entra Workload ID, a
//     SecretProviderClass mounting its Key Vault secrets, a sample
//     Deployment and Service and, when exposed, an Ingress for the
//     Application Gateway Ingress Controller.
//
// Workloads are found through the tags the compiler puts on each workload
// identity (privaks-workload, privaks-namespace, ...). The identities'
// client IDs and the tenant ID exist only once deployed: they come from the
// deployment's outputs (Values, ValuesFromOutputs). Kubernetes refuses to
// render without them rather than write placeholders that could reach a
// cluster.
package render
