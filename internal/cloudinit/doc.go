// Package cloudinit writes the #cloud-config documents of the landing zone's two VMs: the BIND DNS forwarder and the CI agent.
package cloudinit
