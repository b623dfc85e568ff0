// Package verify derives the intents of a landing zone from its model
// (package twin) and proves each one: names resolve to the right private
// address, packets get through (or are blocked, for what must stay
// private), and each workload's identity can read exactly its secrets.
// Every result carries a trace; a failure names the first broken step.
package verify
