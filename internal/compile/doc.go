// Package compile turns a validated landing-zone design (package spec) into
// ARM resources: a resource-group-scope deployment template whose every
// value is either a literal or one of a small set of ARM expressions
// (resourceId, reference, guid, subscription, parameters) that package
// armeval evaluates back into concrete values for offline analysis.
//
// One file per component: network.go (VNets, subnets, NSGs, peerings, NAT),
// dns.go (private zones, links, the forwarder VM), agent.go (CI agent VM),
// data.go (ACR, Key Vault, private endpoints), gateway.go (Bastion,
// Application Gateway), aks.go (cluster, identities), roles.go (role
// assignments), workloads.go (Workload ID identities and credentials).
package compile
