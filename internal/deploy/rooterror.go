package deploy

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armdeployments"
)

// APIError is ARM's error shape (code, message, nested details), shared by
// deployment operations' statusMessage.error, a stack's error and failed
// long-running operations.
type APIError struct {
	Code    string     `json:"code,omitempty"`
	Message string     `json:"message,omitempty"`
	Target  string     `json:"target,omitempty"`
	Details []APIError `json:"details,omitempty"`
}

func fromSDKError(e *armdeployments.ErrorResponse) *APIError {
	if e == nil {
		return nil
	}
	out := &APIError{Code: deref(e.Code), Message: deref(e.Message), Target: deref(e.Target)}
	for _, d := range e.Details {
		if c := fromSDKError(d); c != nil {
			out.Details = append(out.Details, *c)
		}
	}
	return out
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// RootCause is the deepest error under one failed resource.
type RootCause struct {
	// ResourceType and ResourceName identify the failed resource (empty when
	// the failure is not tied to one).
	ResourceType, ResourceName string
	Code, Message              string
	// Chain lists the codes from the outermost error down to Code.
	Chain []string
	// Hint is a fix for a well-known code, or empty.
	Hint string
}

// rootCauses walks e down its details to every leaf: those are the errors
// that caused the outer ones ("DeploymentFailed" → "Conflict" →
// "RoleAssignmentExists"). Resource providers sometimes put a whole JSON
// error in a message (AKS VM extension failures); such a message is decoded
// and walked too.
func rootCauses(e *APIError, typ, name string) []RootCause {
	var out []RootCause
	var walk func(e APIError, chain []string)
	walk = func(e APIError, chain []string) {
		if e.Code != "" {
			chain = append(chain, e.Code)
		}
		if len(e.Details) == 0 {
			if inner, ok := embeddedError(e.Message); ok {
				walk(inner, chain)
				return
			}
			rc := RootCause{ResourceType: typ, ResourceName: name, Code: e.Code, Message: e.Message, Chain: append([]string(nil), chain...)}
			rc.Hint = hintFor(rc)
			out = append(out, rc)
			return
		}
		for _, d := range e.Details {
			walk(d, chain)
		}
	}
	if e != nil {
		walk(*e, nil)
	}
	return out
}

// embeddedError decodes a message that is itself a JSON error, either
// {"error": {...}} or {"code": ..., "message": ...}.
func embeddedError(msg string) (APIError, bool) {
	msg = strings.TrimSpace(msg)
	if !strings.HasPrefix(msg, "{") {
		return APIError{}, false
	}
	var wrapped struct {
		Error *APIError `json:"error"`
	}
	if json.Unmarshal([]byte(msg), &wrapped) == nil && wrapped.Error != nil && wrapped.Error.Code != "" {
		return *wrapped.Error, true
	}
	var bare APIError
	if json.Unmarshal([]byte(msg), &bare) == nil && bare.Code != "" {
		return bare, true
	}
	return APIError{}, false
}

// hints are fixes for error codes a private AKS landing zone commonly hits.
// Keys are compared case-insensitively against every code in the chain,
// deepest first.
var hints = map[string]string{
	"InsufficientSubnetSize":                     "the AKS node subnet is too small for nodes × max pods plus upgrade surge: enlarge the subnet prefix in the spec (or lower maxPods/node count), run `privaks plan`, then apply again",
	"customPrivateDNSZoneMissingPermission":      "the cluster's control-plane identity needs Private DNS Zone Contributor on the private DNS zone (and Network Contributor on the VNet) before the cluster is created: grant it, then apply again",
	"VMExtensionError_K8SAPIServerDNSLookupFail": "nodes could not resolve the private API server: link the privatelink.<region>.azmk8s.io zone to the VNet whose DNS servers the nodes use, and make custom DNS forward to 168.63.129.16",
	"RoleAssignmentExists":                       "a role assignment for the same principal, role and scope already exists under another name: delete the old assignment (az role assignment delete --ids ...), then apply again",
	"VaultAlreadyExists":                         "the Key Vault name is taken, often by a soft-deleted vault: recover it (az keyvault recover --name NAME) or purge it (az keyvault purge --name NAME), or choose another name",
	"RequestDisallowedByPolicy":                  "an Azure Policy assignment denied the request (the message names it): make the design comply or ask the policy owner for an exemption",
	"AuthorizationFailed":                        "the signed-in identity lacks the permission named in the message: grant it (e.g. Owner, or Contributor plus Role Based Access Control Administrator, on the resource group), then apply again",
	"MissingSubscriptionRegistration":            "a resource provider is not registered: run az provider register --namespace NAMESPACE, then apply again",
	"SkuNotAvailable":                            "the VM size is not offered in this region or zone for the subscription: choose another size or region",
}

func hintFor(rc RootCause) string {
	for i := len(rc.Chain) - 1; i >= 0; i-- {
		for code, h := range hints {
			if strings.EqualFold(code, rc.Chain[i]) {
				return h
			}
		}
	}
	low := strings.ToLower(rc.Message)
	if strings.Contains(low, "soft delete") || strings.Contains(low, "soft-delete") || strings.Contains(low, "soft deleted") || strings.Contains(low, "soft-deleted") {
		return hints["VaultAlreadyExists"]
	}
	return ""
}

// String renders a root cause on one line, plus the hint on a second line.
func (rc RootCause) String() string {
	var b strings.Builder
	if rc.ResourceType != "" || rc.ResourceName != "" {
		fmt.Fprintf(&b, "%s %s: ", rc.ResourceType, rc.ResourceName)
	}
	code := rc.Code
	if code == "" {
		code = "error"
	}
	fmt.Fprintf(&b, "%s: %s", code, strings.TrimSpace(rc.Message))
	if rc.Hint != "" {
		fmt.Fprintf(&b, "\n    fix: %s", rc.Hint)
	}
	return b.String()
}

// lroCauses extracts root causes from a failed request or long-running
// operation: its body is {"error": {...}} (ARM errors) or
// {"status": "Failed", "error": {...}} (operation status monitors).
func lroCauses(err error) []RootCause {
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.RawResponse == nil {
		return nil
	}
	body, perr := runtime.Payload(re.RawResponse)
	if perr == nil {
		var wrapped struct {
			Error *APIError `json:"error"`
		}
		if json.Unmarshal(body, &wrapped) == nil && wrapped.Error != nil && wrapped.Error.Code != "" {
			return rootCauses(wrapped.Error, "", "")
		}
	}
	rc := RootCause{Code: re.ErrorCode, Message: fmt.Sprintf("HTTP %d", re.StatusCode), Chain: []string{re.ErrorCode}}
	rc.Hint = hintFor(rc)
	return []RootCause{rc}
}
