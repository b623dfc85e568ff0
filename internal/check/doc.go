// Package check is privaks' rule catalogue: static checks over the typed
// model of any resource set (privaks-compiled, a third-party template or a
// live subscription), each with a permanent ID, a severity, the reason it
// exists, how to fix it and the documentation it rests on.
//
// Rules are values listed in one sorted slice (All); there is no
// registration and no global mutable state. Run evaluates them on a
// twin.Twin and returns findings; rules turned off by the user still run
// and their findings come back marked Suppressed, with the reason, so that
// reports show what was waived rather than hiding it.
package check
