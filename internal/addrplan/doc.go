// Package addrplan proposes the address plan of a hub-and-spoke landing
// zone: hub and spoke address spaces, their subnets sized from the
// workloads they hold (the AKS node subnet from the node pool arithmetic),
// a service CIDR and, for Azure CNI Overlay, a pod CIDR, all clear of the
// on-premises ranges and of the ranges AKS reserves. Every subnet records
// the need and the formula it was sized from, so the plan can be printed
// with its arithmetic.
package addrplan
