package deploy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// stackAPIVersion is the stable Microsoft.Resources/deploymentStacks API
// (bicep-types-az generated/resources/microsoft.resources/2024-03-01/types.md:
// DeploymentStackProperties with actionOnUnmanage, denySettings, template,
// parameters, deploymentId, resources, failedResources, error). The resource
// group scope path is
// /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Resources/deploymentStacks/{name}.
const stackAPIVersion = "2024-03-01"

// stack is the deploymentStacks resource, only the fields privaks writes or
// reads.
type stack struct {
	ID         string          `json:"id,omitempty"`
	Name       string          `json:"name,omitempty"`
	Tags       map[string]any  `json:"tags,omitempty"`
	Properties stackProperties `json:"properties"`
	SystemData *systemData     `json:"systemData,omitempty"`
}

type stackProperties struct {
	Description      string           `json:"description,omitempty"`
	Template         any              `json:"template,omitempty"`
	Parameters       map[string]any   `json:"parameters,omitempty"`
	ActionOnUnmanage actionOnUnmanage `json:"actionOnUnmanage"`
	DenySettings     denySettings     `json:"denySettings"`

	// Read-only.
	ProvisioningState string              `json:"provisioningState,omitempty"`
	DeploymentID      string              `json:"deploymentId,omitempty"`
	Duration          string              `json:"duration,omitempty"`
	CorrelationID     string              `json:"correlationId,omitempty"`
	Resources         []managedResource   `json:"resources,omitempty"`
	FailedResources   []failedResource    `json:"failedResources,omitempty"`
	DeletedResources  []resourceReference `json:"deletedResources,omitempty"`
	DetachedResources []resourceReference `json:"detachedResources,omitempty"`
	Error             *APIError           `json:"error,omitempty"`
}

type actionOnUnmanage struct {
	Resources        string `json:"resources"`
	ResourceGroups   string `json:"resourceGroups,omitempty"`
	ManagementGroups string `json:"managementGroups,omitempty"`
}

type denySettings struct {
	Mode string `json:"mode"`
}

type resourceReference struct {
	ID string `json:"id"`
}

type managedResource struct {
	ID         string `json:"id"`
	Status     string `json:"status,omitempty"`
	DenyStatus string `json:"denyStatus,omitempty"`
}

type failedResource struct {
	ID    string    `json:"id"`
	Error *APIError `json:"error,omitempty"`
}

type systemData struct {
	CreatedAt      *time.Time `json:"createdAt,omitempty"`
	CreatedBy      string     `json:"createdBy,omitempty"`
	LastModifiedAt *time.Time `json:"lastModifiedAt,omitempty"`
	LastModifiedBy string     `json:"lastModifiedBy,omitempty"`
}

// ErrNoStack is returned by Status and Destroy when the resource group has
// no privaks deployment stack.
var ErrNoStack = errors.New("no deployment stack")

func (s *session) stackPath(name string) string {
	return s.rest.rgPath(s.target.ResourceGroup) + "/providers/Microsoft.Resources/deploymentStacks/" + url.PathEscape(name)
}

// getStack returns the stack, or ErrNoStack on 404.
func (s *session) getStack(ctx context.Context, name string) (*stack, error) {
	var st stack
	_, err := s.rest.call(ctx, http.MethodGet, s.stackPath(name), stackAPIVersion, nil, nil, &st, http.StatusOK)
	if isNotFound(err) {
		return nil, fmt.Errorf("get deployment stack %q in resource group %q: %w", name, s.target.ResourceGroup, ErrNoStack)
	}
	if err != nil {
		return nil, fmt.Errorf("get deployment stack %q: %w", name, err)
	}
	return &st, nil
}

// putStack creates or updates the stack (PUT is idempotent, so re-running
// apply after an interruption is safe) and returns the poller of the
// long-running operation. ARM answers 200/201 with an Azure-AsyncOperation
// header; runtime.NewPoller follows it and does the final GET on the stack.
func (s *session) putStack(ctx context.Context, name string, body *stack) (*runtime.Poller[stack], error) {
	resp, err := s.rest.send(ctx, http.MethodPut, s.stackPath(name), stackAPIVersion, nil, body)
	if err != nil {
		return nil, fmt.Errorf("put deployment stack %q: %w", name, err)
	}
	if !runtime.HasStatusCode(resp, http.StatusOK, http.StatusCreated) {
		return nil, fmt.Errorf("put deployment stack %q: %w", name, runtime.NewResponseError(resp))
	}
	p, err := runtime.NewPoller[stack](resp, s.rest.pl, nil)
	if err != nil {
		return nil, fmt.Errorf("put deployment stack %q: %w", name, err)
	}
	return p, nil
}

// deleteStack deletes the stack and the resources it manages. The query
// parameters are the stack API's unmanageAction.* switches (same names as
// the generated stack clients, e.g. hashicorp/go-azure-sdk
// DeleteAtResourceGroupOperationOptions: unmanageAction.Resources,
// unmanageAction.ResourceGroups, unmanageAction.ManagementGroups).
func (s *session) deleteStack(ctx context.Context, name string) (*runtime.Poller[struct{}], error) {
	q := url.Values{
		"unmanageAction.Resources":      {"delete"},
		"unmanageAction.ResourceGroups": {"detach"},
	}
	resp, err := s.rest.send(ctx, http.MethodDelete, s.stackPath(name), stackAPIVersion, q, nil)
	if err != nil {
		return nil, fmt.Errorf("delete deployment stack %q: %w", name, err)
	}
	if resp.StatusCode == http.StatusNotFound {
		runtime.Drain(resp)
		return nil, fmt.Errorf("delete deployment stack %q: %w", name, ErrNoStack)
	}
	if !runtime.HasStatusCode(resp, http.StatusOK, http.StatusAccepted, http.StatusNoContent) {
		return nil, fmt.Errorf("delete deployment stack %q: %w", name, runtime.NewResponseError(resp))
	}
	p, err := runtime.NewPoller[struct{}](resp, s.rest.pl, nil)
	if err != nil {
		return nil, fmt.Errorf("delete deployment stack %q: %w", name, err)
	}
	return p, nil
}

// stackBody builds the PUT body for an artifact.
func stackBody(a *Artifact, o *options) *stack {
	action := "detach"
	if o.prune {
		action = "delete"
	}
	return &stack{
		Tags: map[string]any{"managed-by": "privaks"},
		Properties: stackProperties{
			Description: "privaks private AKS landing zone (" + a.TemplatePath + ")",
			Template:    a.Raw,
			Parameters:  a.parameterBody(o.secrets),
			// resourceGroups/managementGroups only matter for stacks that
			// create them; a resource-group stack never does, so detach.
			ActionOnUnmanage: actionOnUnmanage{Resources: action, ResourceGroups: "detach", ManagementGroups: "detach"},
			DenySettings:     denySettings{Mode: o.denyMode},
		},
	}
}
