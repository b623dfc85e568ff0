package armeval

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// level is a deployment scope, as a template's $schema names it.
type level int

const (
	atResourceGroup level = iota
	atSubscription
	atManagementGroup
	atTenant
)

func (l level) String() string {
	return [...]string{"resource group", "subscription", "management group", "tenant"}[l]
}

// schemaLevel reads the deployment scope from a template's $schema
// (deploymentTemplate, subscriptionDeploymentTemplate,
// managementGroupDeploymentTemplate, tenantDeploymentTemplate).
func schemaLevel(schema string) level {
	s := strings.ToLower(schema)
	switch {
	case strings.Contains(s, "subscriptiondeploymenttemplate"):
		return atSubscription
	case strings.Contains(s, "managementgroupdeploymenttemplate"):
		return atManagementGroup
	case strings.Contains(s, "tenantdeploymenttemplate"):
		return atTenant
	}
	return atResourceGroup
}

// dscope is where a template deploys, or what its scope functions see.
// Subscription and ResourceGroup are empty above their level; mg is the
// management group's name at management group level.
type dscope struct {
	lv level
	arm.Scope
	mg string
}

// DefaultManagementGroup is the management group a management group
// scope template deploys to when WithManagementGroup does not say.
const DefaultManagementGroup = "mg-privaks"

func newScope(lv level, s arm.Scope, mg string) dscope {
	d := dscope{lv: lv, Scope: s, mg: mg}
	switch lv {
	case atSubscription:
		d.ResourceGroup = ""
	case atManagementGroup, atTenant:
		d.ResourceGroup = ""
		d.Subscription = ""
	}
	if lv != atManagementGroup {
		d.mg = ""
	}
	return d
}

// prefix is the resource ID of the scope itself ("" at tenant level).
func (d dscope) prefix() string {
	switch d.lv {
	case atResourceGroup:
		return "/subscriptions/" + d.Subscription + "/resourceGroups/" + d.ResourceGroup
	case atSubscription:
		return "/subscriptions/" + d.Subscription
	case atManagementGroup:
		return "/providers/Microsoft.Management/managementGroups/" + d.mg
	}
	return ""
}

// atScopeID returns the scope a resource ID names, for the scope property
// of a nested deployment or an extension resource: "/" is the tenant,
// "Microsoft.Management/managementGroups/x" (with or without
// "/providers/") a management group, "/subscriptions/s" a subscription,
// "/subscriptions/s/resourceGroups/r" a resource group.
func scopeFromID(id string, base dscope) (dscope, bool) {
	s := strings.Trim(id, "/")
	low := strings.ToLower(s)
	segs := strings.Split(s, "/")
	switch {
	case s == "":
		return newScope(atTenant, base.Scope, ""), true
	case strings.HasPrefix(low, "providers/microsoft.management/managementgroups/") && len(segs) == 4:
		return newScope(atManagementGroup, base.Scope, segs[3]), true
	case strings.HasPrefix(low, "microsoft.management/managementgroups/") && len(segs) == 3:
		return newScope(atManagementGroup, base.Scope, segs[2]), true
	case strings.HasPrefix(low, "subscriptions/") && len(segs) == 2:
		sc := base.Scope
		sc.Subscription = segs[1]
		return newScope(atSubscription, sc, ""), true
	case strings.HasPrefix(low, "subscriptions/") && len(segs) == 4 && strings.EqualFold(segs[2], "resourceGroups"):
		sc := base.Scope
		sc.Subscription, sc.ResourceGroup = segs[1], segs[3]
		return newScope(atResourceGroup, sc, ""), true
	}
	return dscope{}, false
}
