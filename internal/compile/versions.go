package compile

// API versions: the newest stable version of each type for which the
// official schema is published (testdata/arm-schemas holds it), so that every
// resource privaks writes is validated against its schema in tests.
// (azure-rules.md §4 lists 2025-09-01 as the newest Network version; its
// schema is not published there yet, so privaks stays on 2025-07-01, which
// already has private-by-default subnets.)
const (
	apiNetwork     = "2025-07-01"
	apiPrivateDNS  = "2024-06-01"
	apiAKS         = "2026-05-01"
	apiACR         = "2025-11-01"
	apiKeyVault    = "2026-02-01"
	apiCompute     = "2026-03-01"
	apiIdentity    = "2024-11-30"
	apiRoles       = "2022-04-01"
	apiLogAnalytic = "2025-07-01"
)

// Built-in role definition IDs (the same in every tenant). Sources: Azure
// built-in roles reference (learn.microsoft.com/azure/role-based-access-control/built-in-roles)
// and azure-rules.md [S54].
const (
	roleReader                  = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	roleContributor             = "b24988ac-6180-42a0-ab88-20f7382dd24c"
	roleNetworkContributor      = "4d97b98b-1d4f-4787-a291-c67834d212e7"
	rolePrivateDNSZoneContrib   = "b12aa53e-6015-4669-85d0-8515ebb3ae7f"
	roleManagedIdentityOperator = "f1a07417-d97a-45cb-824c-7a7467783830"
	roleAcrPull                 = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
	roleAcrPush                 = "8311e382-0749-4cb8-b61a-304f252e45ec"
	roleKeyVaultSecretsUser     = "4633458b-17de-408a-b874-0445c86b69e6"
	roleAKSClusterUser          = "4abbcc35-e782-43d8-92c5-2d3f1bd2253f"
	roleAKSRBACClusterAdmin     = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"
)
