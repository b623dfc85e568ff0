// Package twintest holds the BIND differential test: for generated
// forwarder scenarios it runs Debian's real named on loopback with the BIND
// configuration the twin read from the forwarder VM's cloud-init, feeds it
// stand-ins serving exactly what the twin says Azure DNS (in the
// forwarder's VNet) and public DNS answer, and checks that named's answer
// equals the twin's prediction. The package has no code outside its tests.
package twintest
