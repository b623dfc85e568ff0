package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azarm "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	armruntime "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

const (
	moduleName    = "github.com/privaks/privaks/internal/deploy"
	moduleVersion = "v0.1.0"
)

// restClient calls ARM REST APIs for which no Go SDK module is vendored here
// (deployment stacks, effective permissions, name availability, deleted
// vaults) through azcore's ARM pipeline, so they get the same bearer token,
// retry policy (429/5xx with Retry-After), cloud endpoint and transport as the
// SDK clients.
type restClient struct {
	pl       runtime.Pipeline
	endpoint string
	sub      string
}

func newRESTClient(sub string, cred azcore.TokenCredential, o *azarm.ClientOptions) (*restClient, error) {
	pl, err := armruntime.NewPipeline(moduleName, moduleVersion, cred, runtime.PipelineOptions{}, o)
	if err != nil {
		return nil, fmt.Errorf("create ARM pipeline: %w", err)
	}
	conf := cloud.AzurePublic
	if o != nil && len(o.Cloud.Services) > 0 {
		conf = o.Cloud
	}
	svc, ok := conf.Services[cloud.ResourceManager]
	if !ok || svc.Endpoint == "" {
		return nil, errors.New("create ARM pipeline: the cloud configuration has no Resource Manager endpoint")
	}
	return &restClient{pl: pl, endpoint: svc.Endpoint, sub: sub}, nil
}

// send issues one request and returns the response whatever its status. path
// starts with "/subscriptions/..."; body, when non-nil, is sent as JSON.
func (c *restClient) send(ctx context.Context, method, path, apiVersion string, query url.Values, body any) (*http.Response, error) {
	req, err := runtime.NewRequest(ctx, method, runtime.JoinPaths(c.endpoint, path))
	if err != nil {
		return nil, err
	}
	q := req.Raw().URL.Query()
	for k, vs := range query {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	q.Set("api-version", apiVersion)
	req.Raw().URL.RawQuery = q.Encode()
	req.Raw().Header.Set("Accept", "application/json")
	if body != nil {
		if err := runtime.MarshalAsJSON(req, body); err != nil {
			return nil, err
		}
	}
	return c.pl.Do(req)
}

// call sends a request, requires one of the ok status codes (an
// *azcore.ResponseError otherwise) and decodes the body into out when out is
// non-nil. It returns the status code.
func (c *restClient) call(ctx context.Context, method, path, apiVersion string, query url.Values, body, out any, ok ...int) (int, error) {
	resp, err := c.send(ctx, method, path, apiVersion, query, body)
	if err != nil {
		return 0, err
	}
	if !runtime.HasStatusCode(resp, ok...) {
		return resp.StatusCode, runtime.NewResponseError(resp)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		runtime.Drain(resp)
		return resp.StatusCode, nil
	}
	payload, err := runtime.Payload(resp)
	if err != nil {
		return resp.StatusCode, err
	}
	if len(payload) == 0 {
		return resp.StatusCode, nil
	}
	if err := json.Unmarshal(payload, out); err != nil {
		return resp.StatusCode, fmt.Errorf("decode %s %s response: %w", method, path, err)
	}
	return resp.StatusCode, nil
}

// isNotFound reports whether err is an ARM 404.
func isNotFound(err error) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusNotFound
}

func (c *restClient) rgPath(rg string) string {
	return "/subscriptions/" + url.PathEscape(c.sub) + "/resourceGroups/" + url.PathEscape(rg)
}

func (c *restClient) subPath() string { return "/subscriptions/" + url.PathEscape(c.sub) }
