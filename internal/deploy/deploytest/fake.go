// Package deploytest is an in-memory Azure Resource Manager for tests of
// package deploy and the CLI verbs built on it. SDK calls go to the SDK's
// own fake servers (armdeployments/fake, armresources/fake); the REST calls
// deploy makes without an SDK module (deployment stacks, permissions, name
// checks, deleted vaults) go to a small handler here. Nothing leaves the
// process: there is no socket, not even on loopback.
package deploytest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	azarm "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armdeployments"
	depfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armdeployments/fake"
	resfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources/fake"
)

// Subscription is the fake subscription ID.
const Subscription = "11111111-2222-3333-4444-555555555555"

// Provider is a fake resource provider: its registration state and the
// locations of its resource types (type without namespace → locations).
type Provider struct {
	State string
	Types map[string][]string
}

// Permission is one entry of the effective permissions list.
type Permission struct {
	Actions    []string `json:"actions"`
	NotActions []string `json:"notActions"`
}

// Fault is a canned response returned before the real one.
type Fault struct {
	Status int
	Header http.Header
	Body   string
}

// Request is one request that reached the fake.
type Request struct {
	Method, Path, Query, Body, APIName string
	At                                 time.Time
}

// Resource is a resource in the fake resource group.
type Resource struct {
	ID, Type, Location string
	Properties         map[string]any
}

// OpError makes the deployment of one resource fail.
type OpError struct {
	// Type and Name select the template resource (Name is the full name).
	Type, Name string
	// Error is the statusMessage.error of its deployment operation, in
	// ARM's JSON shape ({"code", "message", "details": [...]}).
	Error map[string]any
}

// Fake is the in-memory ARM. Set its fields before use; after use read
// Requests and the stack state. Methods are safe for concurrent use.
type Fake struct {
	mu sync.Mutex

	Groups        map[string]string // existing resource groups → location
	Providers     map[string]*Provider
	Permissions   []Permission
	TakenNames    map[string]string // lower-case ACR/KV name → message
	DeletedVaults map[string]bool   // lower-case name of a soft-deleted vault
	WhatIf        armdeployments.WhatIfOperationResult
	Existing      []Resource // resources in the group before the deployment
	// DeployPolls is how many status polls report Running before the
	// stack operation ends.
	DeployPolls int
	// Fail makes the stack deployment fail with these operation errors.
	Fail []OpError
	// Faults are returned, in order, before the real answer of a route
	// ("PUT stack", "GET permissions", "POST acrname", ...).
	Faults map[string][]Fault
	// OnStatusPoll runs on each stack operation status poll (n from 1).
	OnStatusPoll func(n int)
	// RoleAssignments are listed on the resource group (ARM list items).
	RoleAssignments []map[string]any
	// ZoneItems are the record sets and links listed under each private
	// zone, by lower-case zone name.
	ZoneRecords map[string][]map[string]any
	ZoneLinks   map[string][]map[string]any
	// Children are the child resources listed under a parent, by the
	// lower-case collection path ("/subscriptions/…/firewallPolicies/p/ruleCollectionGroups").
	// Resources in Existing (or deployed) directly under the path are
	// listed there too.
	Children map[string][]map[string]any

	// Recorded state.
	Requests      []Request
	RegisterCalls []string
	CreatedGroups []string
	Stack         map[string]any // last PUT body, nil when no stack
	StackState    string
	DeploymentN   int
	deployed      []Resource
	polls         int
	deleting      bool

	deps, res policy.Transporter
}

// New returns an empty fake with every provider the reference design uses
// registered everywhere.
func New() *Fake {
	f := &Fake{Groups: map[string]string{}, Providers: map[string]*Provider{}, TakenNames: map[string]string{}, DeletedVaults: map[string]bool{}, Faults: map[string][]Fault{}}
	f.Permissions = []Permission{{Actions: []string{"*"}}}
	f.deps = depfake.NewServerFactoryTransport(&depfake.ServerFactory{
		DeploymentsServer:          depfake.DeploymentsServer{BeginWhatIf: f.beginWhatIf},
		DeploymentOperationsServer: depfake.DeploymentOperationsServer{NewListPager: f.listOperations},
	})
	f.res = resfake.NewServerFactoryTransport(&resfake.ServerFactory{
		ProvidersServer:      resfake.ProvidersServer{Get: f.getProvider, Register: f.register},
		ResourceGroupsServer: resfake.ResourceGroupsServer{Get: f.getGroup, CreateOrUpdate: f.createGroup},
		Server:               resfake.Server{NewListByResourceGroupPager: f.listResources, GetByID: f.getByID},
	})
	return f
}

// Connection options for package deploy: this fake as transport, a fake
// credential, and millisecond retry delays so retry tests run fast.
func (f *Fake) ClientOptions() *azarm.ClientOptions {
	return &azarm.ClientOptions{ClientOptions: policy.ClientOptions{
		Transport: f,
		Retry:     policy.RetryOptions{MaxRetries: 3, RetryDelay: time.Millisecond, MaxRetryDelay: 3 * time.Second},
	}}
}

// Credential returns a fake token credential (never a real one).
func Credential() *azfake.TokenCredential { return &azfake.TokenCredential{} }

// Do implements policy.Transporter.
func (f *Fake) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	api, _ := req.Context().Value(runtime.CtxAPINameKey{}).(string)
	f.mu.Lock()
	f.Requests = append(f.Requests, Request{Method: req.Method, Path: req.URL.Path, Query: req.URL.RawQuery, Body: string(body), APIName: api, At: time.Now()})
	f.mu.Unlock()
	switch {
	case strings.HasPrefix(api, "DeploymentsClient.") || strings.HasPrefix(api, "DeploymentOperationsClient."):
		return f.deps.Do(req)
	case api != "":
		return f.res.Do(req)
	}
	return f.rest(req, body)
}

// Count returns how many recorded requests have the method and a path
// containing sub.
func (f *Fake) Count(method, sub string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.Requests {
		if r.Method == method && strings.Contains(r.Path, sub) {
			n++
		}
	}
	return n
}

// Snapshot returns a copy of the recorded requests.
func (f *Fake) Snapshot() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.Requests...)
}

func jsonResponse(req *http.Request, status int, v any, hdr http.Header) *http.Response {
	var b []byte
	switch t := v.(type) {
	case nil:
	case string:
		b = []byte(t)
	default:
		b, _ = json.Marshal(v)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	for k, vs := range hdr {
		h[k] = vs
	}
	return &http.Response{StatusCode: status, Status: strconv.Itoa(status) + " " + http.StatusText(status), Header: h, Body: io.NopCloser(bytes.NewReader(b)), Request: req, ContentLength: int64(len(b))}
}

func armError(code, msg string) map[string]any {
	return map[string]any{"error": map[string]any{"code": code, "message": msg}}
}

func route(req *http.Request) string {
	p := req.URL.Path
	switch {
	case strings.Contains(p, "/deploymentStackOperationStatus/"):
		return "stackop"
	case strings.Contains(p, "/deploymentStacks/"):
		return "stack"
	case strings.HasSuffix(p, "/Microsoft.Authorization/permissions"):
		return "permissions"
	case strings.HasSuffix(p, "/Microsoft.ContainerRegistry/checkNameAvailability"):
		return "acrname"
	case strings.HasSuffix(p, "/Microsoft.KeyVault/checkNameAvailability"):
		return "kvname"
	case strings.Contains(p, "/deletedVaults/"):
		return "deletedvault"
	case strings.HasSuffix(p, "/providers/Microsoft.Authorization/roleAssignments"):
		return "roleassignments"
	case strings.Contains(p, "/privateDnsZones/") && strings.HasSuffix(p, "/ALL"):
		return "zonerecords"
	case strings.Contains(p, "/privateDnsZones/") && strings.HasSuffix(p, "/virtualNetworkLinks"):
		return "zonelinks"
	}
	if parts := strings.Split(p, "/"); len(parts) > 3 && childRoutes[strings.ToLower(parts[len(parts)-3]+"/"+parts[len(parts)-1])] {
		return "children"
	}
	return ""
}

// childRoutes are the child collections deploy lists under a parent
// (parent type's last segment/collection, lower case).
var childRoutes = map[string]bool{
	"firewallpolicies/rulecollectiongroups":     true,
	"dnsforwardingrulesets/forwardingrules":     true,
	"dnsforwardingrulesets/virtualnetworklinks": true,
	"dnsresolvers/inboundendpoints":             true,
	"dnsresolvers/outboundendpoints":            true,
	"privateendpoints/privatednszonegroups":     true,
}

// children lists what Children holds under path, then the resources
// directly under it.
func (f *Fake) children(path string) []map[string]any {
	key := strings.ToLower(path)
	out := append([]map[string]any{}, f.Children[key]...)
	for _, r := range f.all() {
		id := strings.ToLower(r.ID)
		if rest, ok := strings.CutPrefix(id, key+"/"); ok && rest != "" && !strings.Contains(rest, "/") {
			out = append(out, map[string]any{"id": r.ID, "type": r.Type, "name": r.ID[strings.LastIndex(r.ID, "/")+1:], "properties": r.Properties})
		}
	}
	return out
}

func (f *Fake) rest(req *http.Request, body []byte) (*http.Response, error) {
	r := route(req)
	f.mu.Lock()
	defer f.mu.Unlock()
	key := req.Method + " " + r
	if fs := f.Faults[key]; len(fs) > 0 {
		f.Faults[key] = fs[1:]
		return jsonResponse(req, fs[0].Status, fs[0].Body, fs[0].Header), nil
	}
	switch key {
	case "GET permissions":
		return jsonResponse(req, 200, map[string]any{"value": f.Permissions}, nil), nil
	case "POST acrname", "POST kvname":
		var in struct{ Name string }
		_ = json.Unmarshal(body, &in)
		if msg, ok := f.TakenNames[strings.ToLower(in.Name)]; ok {
			return jsonResponse(req, 200, map[string]any{"nameAvailable": false, "reason": "AlreadyExists", "message": msg}, nil), nil
		}
		return jsonResponse(req, 200, map[string]any{"nameAvailable": true}, nil), nil
	case "GET deletedvault":
		name := req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:]
		if f.DeletedVaults[strings.ToLower(name)] {
			return jsonResponse(req, 200, map[string]any{"name": name, "properties": map[string]any{"deletionDate": "2026-08-01T10:00:00Z", "scheduledPurgeDate": "2026-10-30T10:00:00Z"}}, nil), nil
		}
		return jsonResponse(req, 404, armError("ResourceNotFound", "not found"), nil), nil
	case "PUT stack":
		return f.putStack(req, body), nil
	case "GET stack":
		if f.Stack == nil {
			return jsonResponse(req, 404, armError("DeploymentStackNotFound", "not found"), nil), nil
		}
		return jsonResponse(req, 200, f.stackView(req.URL.Path), nil), nil
	case "DELETE stack":
		if f.Stack == nil {
			return jsonResponse(req, 404, armError("DeploymentStackNotFound", "not found"), nil), nil
		}
		f.deleting, f.polls = true, 0
		f.StackState = "deleting"
		return jsonResponse(req, 202, nil, http.Header{"Azure-Asyncoperation": {f.statusURL("del")}}), nil
	case "GET stackop":
		return f.pollStatus(req), nil
	case "GET roleassignments":
		return jsonResponse(req, 200, map[string]any{"value": orEmpty(f.RoleAssignments)}, nil), nil
	case "GET zonerecords", "GET zonelinks":
		parts := strings.Split(req.URL.Path, "/")
		zone := strings.ToLower(parts[len(parts)-2])
		items := f.ZoneRecords[zone]
		if r == "zonelinks" {
			items = f.ZoneLinks[zone]
		}
		return jsonResponse(req, 200, map[string]any{"value": orEmpty(items)}, nil), nil
	case "GET children":
		return jsonResponse(req, 200, map[string]any{"value": f.children(req.URL.Path)}, nil), nil
	}
	return jsonResponse(req, 400, armError("UnexpectedRequest", key+" "+req.URL.Path), nil), nil
}

func (f *Fake) statusURL(id string) string {
	return "https://management.azure.com/subscriptions/" + Subscription + "/providers/Microsoft.Resources/locations/canadacentral/deploymentStackOperationStatus/" + id + "?api-version=2024-03-01"
}

func orEmpty(v []map[string]any) []map[string]any {
	if v == nil {
		return []map[string]any{}
	}
	return v
}
