// Package twin builds a typed model of a landing zone's network, DNS and
// identities from an evaluated ARM resource set (package arm), whatever its
// source: a privaks-compiled design, a third-party template or a live
// subscription. Questions are answered by pure functions over the model:
// Resolve (DNS), Reach (packets), CanReadSecret (identity).
//
// The model records the resources Azure creates implicitly (private
// endpoint zone-group records, the AKS API server endpoint and its record,
// the zone link AKS adds to the cluster VNet) and marks what it predicts
// rather than reads (dynamic private IPs, which Azure assigns from the
// lowest free address of the subnet).
package twin
