package deploytest

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armdeployments"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
)

var paramRef = regexp.MustCompile(`^\[parameters\('([^']+)'\)\]$`)

func groupOf(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := 0; i+1 < len(segs); i++ {
		if strings.EqualFold(segs[i], "resourceGroups") {
			return segs[i+1]
		}
	}
	return ""
}

// putStack records the body, starts a deployment and answers 201 with an
// Azure-AsyncOperation status monitor, as ARM does.
func (f *Fake) putStack(req *http.Request, body []byte) *http.Response {
	var in struct {
		Properties struct {
			Parameters map[string]struct {
				Value any `json:"value"`
			} `json:"parameters"`
			Template struct {
				Resources []struct {
					Type, Name, Location string
				} `json:"resources"`
			} `json:"template"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return jsonResponse(req, 400, armError("InvalidRequestContent", err.Error()), nil)
	}
	_ = json.Unmarshal(body, &f.Stack)
	rg := groupOf(req.URL.Path)
	f.deployed = nil
	for _, r := range in.Properties.Template.Resources {
		if m := paramRef.FindStringSubmatch(r.Name); m != nil {
			r.Name, _ = in.Properties.Parameters[m[1]].Value.(string)
		}
		f.deployed = append(f.deployed, Resource{ID: ResourceID(rg, r.Type, r.Name), Type: r.Type, Location: r.Location, Properties: map[string]any{"provisioningState": "Succeeded"}})
	}
	f.DeploymentN++
	f.polls, f.deleting = 0, false
	f.StackState = "deploying"
	return jsonResponse(req, 201, f.stackView(req.URL.Path), http.Header{"Azure-Asyncoperation": {f.statusURL("put" + strconv.Itoa(f.DeploymentN))}})
}

// ResourceID builds the ID of a resource of full type typ and full name
// (parent/child) in the fake subscription.
func ResourceID(rg, typ, name string) string {
	segs := strings.Split(typ, "/")
	names := strings.Split(name, "/")
	var b strings.Builder
	b.WriteString("/subscriptions/" + Subscription + "/resourceGroups/" + rg + "/providers/" + segs[0])
	for i, t := range segs[1:] {
		n := ""
		if i < len(names) {
			n = names[i]
		}
		b.WriteString("/" + t + "/" + n)
	}
	return b.String()
}

func (f *Fake) deploymentID(path string) string {
	return "/subscriptions/" + Subscription + "/resourceGroups/" + groupOf(path) + "/providers/Microsoft.Resources/deployments/privaks-" + strconv.Itoa(f.DeploymentN)
}

func (f *Fake) stackView(path string) map[string]any {
	props := map[string]any{"provisioningState": f.StackState, "deploymentId": f.deploymentID(path), "duration": "PT1M5S"}
	if p, ok := f.Stack["properties"].(map[string]any); ok {
		props["actionOnUnmanage"], props["denySettings"] = p["actionOnUnmanage"], p["denySettings"]
	}
	var res []map[string]any
	for _, r := range f.deployed {
		res = append(res, map[string]any{"id": r.ID, "status": "managed", "denyStatus": "none"})
	}
	props["resources"] = res
	if f.StackState == "failed" {
		props["error"] = f.failure()
	}
	i := strings.Index(path, "?")
	if i >= 0 {
		path = path[:i]
	}
	return map[string]any{
		"id": path, "name": path[strings.LastIndex(path, "/")+1:], "type": "Microsoft.Resources/deploymentStacks",
		"properties": props,
		"systemData": map[string]any{"createdAt": "2026-08-20T10:00:00Z", "lastModifiedAt": "2026-08-21T10:00:00Z", "lastModifiedBy": "ops@example.com"},
	}
}

func (f *Fake) failure() map[string]any {
	var details []any
	for _, fe := range f.Fail {
		details = append(details, fe.Error)
	}
	return map[string]any{"code": "DeploymentFailed", "message": "At least one resource deployment operation failed.", "details": details}
}

func (f *Fake) pollStatus(req *http.Request) *http.Response {
	f.polls++
	if f.OnStatusPoll != nil {
		f.OnStatusPoll(f.polls)
	}
	if f.polls <= f.DeployPolls {
		return jsonResponse(req, 200, map[string]any{"status": "Running"}, nil)
	}
	if f.deleting {
		f.Stack, f.StackState, f.deployed, f.deleting = nil, "", nil, false
		return jsonResponse(req, 200, map[string]any{"status": "Succeeded"}, nil)
	}
	if len(f.Fail) > 0 {
		f.StackState = "failed"
		return jsonResponse(req, 200, map[string]any{"status": "Failed", "error": f.failure()}, nil)
	}
	f.StackState = "succeeded"
	return jsonResponse(req, 200, map[string]any{"status": "Succeeded"}, nil)
}

// SDK fakes.

func (f *Fake) beginWhatIf(_ context.Context, _, _ string, _ armdeployments.DeploymentWhatIf, _ *armdeployments.DeploymentsClientBeginWhatIfOptions) (resp azfake.PollerResponder[armdeployments.DeploymentsClientWhatIfResponse], errResp azfake.ErrorResponder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	resp.AddNonTerminalResponse(http.StatusAccepted, nil)
	resp.SetTerminalResponse(http.StatusOK, armdeployments.DeploymentsClientWhatIfResponse{WhatIfOperationResult: f.WhatIf}, nil)
	return
}

func (f *Fake) listOperations(_, _ string, _ *armdeployments.DeploymentOperationsClientListOptions) (resp azfake.PagerResponder[armdeployments.DeploymentOperationsClientListResponse]) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ops []*armdeployments.DeploymentOperation
	now := time.Now()
	for i, r := range f.deployed {
		state := "Succeeded"
		var msg *armdeployments.StatusMessage
		if f.StackState == "deploying" && i > 0 {
			state = "Running"
		}
		for _, fe := range f.Fail {
			if strings.EqualFold(fe.Type, r.Type) && strings.EqualFold(ResourceID(groupOf(r.ID), fe.Type, fe.Name), r.ID) && f.StackState == "failed" {
				state = "Failed"
				b, _ := json.Marshal(fe.Error)
				var e armdeployments.ErrorResponse
				_ = json.Unmarshal(b, &e)
				msg = &armdeployments.StatusMessage{Status: to.Ptr("Failed"), Error: &e}
			}
		}
		name := r.ID[strings.Index(r.ID, "/providers/")+len("/providers/"):]
		name = strings.Join(everyOther(strings.Split(name, "/")[1:], 1), "/")
		ops = append(ops, &armdeployments.DeploymentOperation{
			OperationID: to.Ptr(strconv.Itoa(i)),
			Properties: &armdeployments.DeploymentOperationProperties{
				ProvisioningState: to.Ptr(state),
				Timestamp:         to.Ptr(now),
				Duration:          to.Ptr("PT" + strconv.Itoa(10*(i+1)) + "S"),
				StatusMessage:     msg,
				TargetResource:    &armdeployments.TargetResource{ID: to.Ptr(r.ID), ResourceType: to.Ptr(r.Type), ResourceName: to.Ptr(name)},
			},
		})
	}
	resp.AddPage(http.StatusOK, armdeployments.DeploymentOperationsClientListResponse{DeploymentOperationsListResult: armdeployments.DeploymentOperationsListResult{Value: ops}}, nil)
	return
}

func everyOther(xs []string, start int) []string {
	var out []string
	for i := start; i < len(xs); i += 2 {
		out = append(out, xs[i])
	}
	return out
}

func (f *Fake) getProvider(_ context.Context, ns string, _ *armresources.ProvidersClientGetOptions) (resp azfake.Responder[armresources.ProvidersClientGetResponse], errResp azfake.ErrorResponder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.Providers[strings.ToLower(ns)]
	if !ok {
		p = &Provider{State: "Registered"}
	}
	prov := armresources.Provider{Namespace: to.Ptr(ns), RegistrationState: to.Ptr(p.State)}
	for t, locs := range p.Types {
		rt := &armresources.ProviderResourceType{ResourceType: to.Ptr(t)}
		for _, l := range locs {
			rt.Locations = append(rt.Locations, to.Ptr(l))
		}
		prov.ResourceTypes = append(prov.ResourceTypes, rt)
	}
	resp.SetResponse(http.StatusOK, armresources.ProvidersClientGetResponse{Provider: prov}, nil)
	return
}

func (f *Fake) register(_ context.Context, ns string, _ *armresources.ProvidersClientRegisterOptions) (resp azfake.Responder[armresources.ProvidersClientRegisterResponse], errResp azfake.ErrorResponder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.RegisterCalls = append(f.RegisterCalls, ns)
	if p, ok := f.Providers[strings.ToLower(ns)]; ok {
		p.State = "Registered"
	}
	resp.SetResponse(http.StatusOK, armresources.ProvidersClientRegisterResponse{Provider: armresources.Provider{Namespace: to.Ptr(ns), RegistrationState: to.Ptr("Registering")}}, nil)
	return
}

func (f *Fake) getGroup(_ context.Context, rg string, _ *armresources.ResourceGroupsClientGetOptions) (resp azfake.Responder[armresources.ResourceGroupsClientGetResponse], errResp azfake.ErrorResponder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	loc, ok := f.Groups[rg]
	if !ok {
		errResp.SetResponseError(http.StatusNotFound, "ResourceGroupNotFound")
		return
	}
	resp.SetResponse(http.StatusOK, armresources.ResourceGroupsClientGetResponse{ResourceGroup: armresources.ResourceGroup{Name: to.Ptr(rg), Location: to.Ptr(loc)}}, nil)
	return
}

func (f *Fake) createGroup(_ context.Context, rg string, g armresources.ResourceGroup, _ *armresources.ResourceGroupsClientCreateOrUpdateOptions) (resp azfake.Responder[armresources.ResourceGroupsClientCreateOrUpdateResponse], errResp azfake.ErrorResponder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Groups[rg] = *g.Location
	f.CreatedGroups = append(f.CreatedGroups, rg)
	resp.SetResponse(http.StatusCreated, armresources.ResourceGroupsClientCreateOrUpdateResponse{ResourceGroup: g}, nil)
	return
}

func (f *Fake) all() []Resource {
	seen := map[string]bool{}
	var out []Resource
	for _, r := range append(append([]Resource(nil), f.Existing...), f.deployedIfDone()...) {
		if !seen[strings.ToLower(r.ID)] {
			seen[strings.ToLower(r.ID)] = true
			out = append(out, r)
		}
	}
	return out
}

func (f *Fake) deployedIfDone() []Resource {
	if f.StackState == "succeeded" {
		return f.deployed
	}
	return nil
}

func (f *Fake) listResources(rg string, _ *armresources.ClientListByResourceGroupOptions) (resp azfake.PagerResponder[armresources.ClientListByResourceGroupResponse]) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*armresources.GenericResourceExpanded
	for _, r := range f.all() {
		if !strings.Contains(strings.ToLower(r.ID), "/resourcegroups/"+strings.ToLower(rg)+"/") {
			continue
		}
		out = append(out, &armresources.GenericResourceExpanded{ID: to.Ptr(r.ID), Type: to.Ptr(r.Type), Location: to.Ptr(r.Location)})
	}
	resp.AddPage(http.StatusOK, armresources.ClientListByResourceGroupResponse{ResourceListResult: armresources.ResourceListResult{Value: out}}, nil)
	return
}

func (f *Fake) getByID(_ context.Context, id, _ string, _ *armresources.ClientGetByIDOptions) (resp azfake.Responder[armresources.ClientGetByIDResponse], errResp azfake.ErrorResponder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.all() {
		if strings.EqualFold(strings.TrimPrefix(r.ID, "/"), strings.TrimPrefix(id, "/")) {
			resp.SetResponse(http.StatusOK, armresources.ClientGetByIDResponse{GenericResource: armresources.GenericResource{ID: to.Ptr(r.ID), Type: to.Ptr(r.Type), Location: to.Ptr(r.Location), Properties: r.Properties}}, nil)
			return
		}
	}
	errResp.SetResponseError(http.StatusNotFound, "ResourceNotFound")
	return
}
