package armeval

import (
	"fmt"

	"github.com/privaks/privaks/internal/arm"
)

// ARM's documented template limits ("Template limits" in ARM template best
// practices, learn.microsoft.com/azure/azure-resource-manager/templates/best-practices,
// and "Resolve errors for job size exceeded"): a template and a parameters
// file of at most 4 MB, 256 parameters, 512 variables (the older pages say
// 256; the larger figure is used so that no template ARM accepts is
// refused), 800 resources including copy count, 64 outputs, 24,576
// characters in one expression, and a copy count of at most 800 ("Resource
// iteration in ARM templates").
const (
	MaxTemplateBytes   = 4 << 20
	MaxParametersBytes = 4 << 20
	MaxParameters      = 256
	MaxVariables       = 512
	MaxResources       = 800
	MaxOutputs         = 64
	MaxExpressionChars = 24576
	MaxCopyCount       = 800
)

// Bounds privaks sets where ARM documents none, so that no input can make
// an analysis run for long or exhaust memory. Each is far above what the
// largest public templates need (see testdata/arm/README.md).
const (
	// MaxResourcesBound bounds the resources of one evaluation, those of
	// every nested deployment included. ARM refuses more than
	// MaxResources in one template (the file's or one nested
	// deployment's) and Evaluate does too; nested deployments may add up
	// to more, and Evaluate stops as bad input past this bound (the
	// 200-spoke estate of the verify and check benchmarks, five nested
	// deployments, holds 3,761).
	MaxResourcesBound = 10 * MaxResources
	// MaxJSONDepth bounds the nesting of arrays and objects in a template
	// or parameters file.
	MaxJSONDepth = 512
	// MaxExpressionDepth bounds the nesting of calls and accesses in one
	// expression.
	MaxExpressionDepth = 256
	// MaxCallDepth bounds nested user-defined function and lambda calls.
	MaxCallDepth = 64
	// MaxDeploymentDepth bounds nested deployments inside one another.
	MaxDeploymentDepth = 50
	// MaxStringBytes bounds one string value an expression produces (the
	// whole template may not exceed 4 MB once expanded).
	MaxStringBytes = 4 << 20
	// MaxArrayLen bounds one array an expression builds.
	MaxArrayLen = 1 << 20
	// MaxWork bounds the evaluation steps of one Evaluate call: expression
	// nodes evaluated plus values built and copied (a copied array or
	// object element counts eight steps, a string one step per 16 bytes).
	// The most any template in testdata/arm needs is about 1.2 million
	// (avm-ptn-network-private-link-private-dns-zones.json).
	MaxWork = 10_000_000
)

// LimitError is bad input: a template, parameters file or expression that
// exceeds one of ARM's limits or one of the bounds privaks sets on its own
// work. Limit names the limit; Pos and Place say where it was hit, as far
// as known.
type LimitError struct {
	Limit  string  // e.g. "copy count 800 (ARM limit)"
	Pos    arm.Pos // where, as well as known
	Place  string  // what was being read or evaluated: a JSON path, a resource, an expression
	Detail string
}

func (e *LimitError) Error() string {
	s := "limit exceeded: " + e.Limit
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Place != "" {
		s += " (in " + e.Place + ")"
	}
	if p := e.Pos.String(); p != "" {
		s = p + ": " + s
	}
	return s
}

func limitf(limit, place, format string, args ...any) *LimitError {
	return &LimitError{Limit: limit, Place: place, Detail: fmt.Sprintf(format, args...)}
}

func stringLimit(n int) *LimitError {
	return limitf(fmt.Sprintf("string of %d MB", MaxStringBytes>>20), "", "a %d-byte string", n)
}

func arrayLimit(n int) *LimitError {
	return limitf(fmt.Sprintf("array of %d elements", MaxArrayLen), "", "%d elements", n)
}
