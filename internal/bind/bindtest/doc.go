// Package bindtest runs Debian's real named and small miekg/dns upstreams on loopback so tests can watch BIND resolve.
package bindtest
