// Package deploy deploys a compiled privaks artifact (an ARM template and
// its parameters file) to a resource group through an ARM deployment stack,
// and reports on or removes that stack.
//
// The flow of Apply is: check the artifact and its secrets offline, run the
// preflight (providers, region, role-assignment permission, global names),
// preview the change with ARM what-if (known noise filtered), ask the caller
// to confirm, create the resource group if needed, create or update the
// deployment stack, follow its deployment operations until it ends, and
// read the deployed resources back into an *arm.Set for an optional
// Verifier.
//
// The package never builds a credential: callers pass an
// azcore.TokenCredential and *arm.ClientOptions (azcore/arm), so tests run
// against in-memory fakes. Calls without a Go SDK module (deployment stacks,
// effective permissions, name checks) go through azcore's ARM pipeline, so
// they share authentication, retries and the cloud configuration with the
// SDK clients. The package writes nothing unless given a writer
// (WithProgress), and secret parameter values only ever leave it in request
// bodies sent to ARM.
package deploy
