// Package cli wires privaks' commands to the library packages. Each verb
// lives in its own file with a newXCmd constructor; RunE only parses flags,
// calls one library function and renders its result. Only Main exits.
package cli
