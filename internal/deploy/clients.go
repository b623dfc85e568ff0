package deploy

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azarm "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armdeployments"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
)

// The interfaces below are the subsets of the SDK clients this package
// calls, declared where they are used (style.md item 20). The SDK client
// types satisfy them; tests drive the real clients against the SDK's fake
// servers rather than mocking these.

// whatIfer previews a resource-group deployment.
type whatIfer interface {
	BeginWhatIf(ctx context.Context, resourceGroupName, deploymentName string, parameters armdeployments.DeploymentWhatIf, options *armdeployments.DeploymentsClientBeginWhatIfOptions) (*runtime.Poller[armdeployments.DeploymentsClientWhatIfResponse], error)
}

// operationLister lists the operations of a deployment (the stack's
// underlying deployment).
type operationLister interface {
	NewListPager(resourceGroupName, deploymentName string, options *armdeployments.DeploymentOperationsClientListOptions) *runtime.Pager[armdeployments.DeploymentOperationsClientListResponse]
}

// providerRegistrar reads and registers resource providers.
type providerRegistrar interface {
	Get(ctx context.Context, resourceProviderNamespace string, options *armresources.ProvidersClientGetOptions) (armresources.ProvidersClientGetResponse, error)
	Register(ctx context.Context, resourceProviderNamespace string, options *armresources.ProvidersClientRegisterOptions) (armresources.ProvidersClientRegisterResponse, error)
}

// groupEnsurer reads and creates the target resource group.
type groupEnsurer interface {
	Get(ctx context.Context, resourceGroupName string, options *armresources.ResourceGroupsClientGetOptions) (armresources.ResourceGroupsClientGetResponse, error)
	CreateOrUpdate(ctx context.Context, resourceGroupName string, parameters armresources.ResourceGroup, options *armresources.ResourceGroupsClientCreateOrUpdateOptions) (armresources.ResourceGroupsClientCreateOrUpdateResponse, error)
}

// resourceReader lists and reads the resources of a resource group.
type resourceReader interface {
	NewListByResourceGroupPager(resourceGroupName string, options *armresources.ClientListByResourceGroupOptions) *runtime.Pager[armresources.ClientListByResourceGroupResponse]
	GetByID(ctx context.Context, resourceID, apiVersion string, options *armresources.ClientGetByIDOptions) (armresources.ClientGetByIDResponse, error)
}

// Target is where a landing zone is deployed.
type Target struct {
	Subscription  string
	ResourceGroup string
	// Location is the region of the resource group (and of resources that
	// take the deployment's location). Empty means: the existing resource
	// group's location.
	Location string
}

// Connection is how the package reaches ARM: a credential and the azcore
// ARM client options (cloud, transport, retries). The zero ClientOptions
// (nil) means Azure public cloud with the SDK's default retry policy.
type Connection struct {
	Credential azcore.TokenCredential
	Options    *azarm.ClientOptions
}

// session holds the clients for one subscription.
type session struct {
	target     Target
	whatIf     whatIfer
	operations operationLister
	providers  providerRegistrar
	groups     groupEnsurer
	resources  resourceReader
	rest       *restClient
}

func newSession(t Target, c Connection) (*session, error) {
	if t.Subscription == "" {
		return nil, fmt.Errorf("connect to Azure: no subscription ID")
	}
	if c.Credential == nil {
		return nil, fmt.Errorf("connect to Azure: no credential")
	}
	dep, err := armdeployments.NewClientFactory(t.Subscription, c.Credential, c.Options)
	if err != nil {
		return nil, fmt.Errorf("create deployments client: %w", err)
	}
	res, err := armresources.NewClientFactory(t.Subscription, c.Credential, c.Options)
	if err != nil {
		return nil, fmt.Errorf("create resources client: %w", err)
	}
	rest, err := newRESTClient(t.Subscription, c.Credential, c.Options)
	if err != nil {
		return nil, err
	}
	return &session{
		target:     t,
		whatIf:     dep.NewDeploymentsClient(),
		operations: dep.NewDeploymentOperationsClient(),
		providers:  res.NewProvidersClient(),
		groups:     res.NewResourceGroupsClient(),
		resources:  res.NewClient(),
		rest:       rest,
	}, nil
}
