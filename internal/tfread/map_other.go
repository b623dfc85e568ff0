package tfread

import (
	"github.com/privaks/privaks/internal/arm"
)

// Types that carry nothing the twin reads but that designs commonly hold:
// mapped to their ARM type with the few properties a reader of the set may
// want, so they count as modelled instead of leaving the analysis
// incomplete for no reason.
func registerMapOther(mappings map[string]*mapping) {
	mappings["azurerm_log_analytics_workspace"] = &mapping{arm: "Microsoft.OperationalInsights/workspaces", api: "2025-07-01",
		id:      simple("Microsoft.OperationalInsights/workspaces"),
		unknown: map[string]string{"workspace_id": "customerId"},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Properties["sku"] = map[string]any{"name": c.a.strOr("PerGB2018", "sku")}
			put(res.Properties, "retentionInDays", c.a.num("retention_in_days"))
			return nil, nil
		}}
	mappings["azurerm_log_analytics_solution"] = &mapping{arm: "Microsoft.OperationsManagement/solutions", api: "2015-11-01-preview",
		id: func(c *mctx) (arm.ResourceID, error) {
			return c.rgID("Microsoft.OperationsManagement/solutions", c.a.str("solution_name"))
		},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Properties["workspaceResourceId"] = c.a.str("workspace_resource_id")
			return nil, nil
		}}
	mappings["azurerm_monitor_diagnostic_setting"] = &mapping{arm: "Microsoft.Insights/diagnosticSettings", api: "2021-05-01-preview",
		id: func(c *mctx) (arm.ResourceID, error) {
			t, err := c.parentID("target_resource_id")
			if err != nil {
				return "", err
			}
			n, err := seg(c.a.str("name"), "name")
			return arm.ResourceID(t + "/providers/Microsoft.Insights/diagnosticSettings/" + n), err
		},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Scope, res.Location = str(c.a.str("target_resource_id")), ""
			p, _ := arm.ParseResourceID(string(res.ID))
			res.Name = p.Last()
			put(res.Properties, "workspaceId", c.a.str("log_analytics_workspace_id"))
			put(res.Properties, "storageAccountId", c.a.str("storage_account_id"))
			return nil, nil
		}}
	mappings["azurerm_virtual_machine_extension"] = &mapping{arm: "Microsoft.Compute/virtualMachines/extensions", api: apiCompute,
		id: under("virtual_machine_id", "extensions"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			p := res.Properties
			p["publisher"] = c.a.str("publisher")
			p["type"] = c.a.str("type")
			p["typeHandlerVersion"] = c.a.str("type_handler_version")
			p["autoUpgradeMinorVersion"] = c.a.boolOr(true, "auto_upgrade_minor_version")
			// settings only: protected_settings may hold secrets.
			if s, ok := c.a.str("settings").(string); ok {
				p["settings"] = s
			}
			return nil, nil
		}}
}
