// Package bind models a BIND 9.18 conditional forwarder as data: render it to named.conf text, parse it back, and predict which upstream BIND asks for a name.
package bind
