package armeval

import (
	"errors"
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// function is a built-in template function. Unless structural, a call with
// an Unknown anywhere in its arguments evaluates to an Unknown naming the
// call; unknown marks functions whose value only exists at deployment time.
type function struct {
	min, max   int // max < 0: variadic
	structural bool
	unknown    bool
	call       func(f *frame, args []any) (any, error)
}

// functions maps lower-case names to built-ins; filled by init functions
// (a literal would be an initialization cycle through evalCall).
var functions = map[string]function{}

func init() {
	runtime := function{min: 0, max: -1, structural: true, unknown: true}
	for name, fn := range map[string]function{
		"parameters":                {min: 1, max: 1, structural: true, call: fnParameters},
		"variables":                 {min: 1, max: 1, structural: true, call: fnVariables},
		"copyindex":                 {min: 0, max: 2, call: fnCopyIndex},
		"resourcegroup":             {min: 0, max: 0, call: fnResourceGroup},
		"subscription":              {min: 0, max: 0, call: fnSubscription},
		"tenant":                    {min: 0, max: 0, call: fnTenant},
		"deployment":                {min: 0, max: 0, call: fnDeployment},
		"environment":               {min: 0, max: 0, call: func(*frame, []any) (any, error) { return azureCloud(), nil }},
		"resourceid":                {min: 2, max: -1, call: fnResourceID},
		"subscriptionresourceid":    {min: 2, max: -1, call: fnSubscriptionResourceID},
		"tenantresourceid":          {min: 2, max: -1, call: fnTenantResourceID},
		"extensionresourceid":       {min: 3, max: -1, call: fnExtensionResourceID},
		"managementgroupresourceid": {min: 2, max: -1, call: fnManagementGroupResourceID},
		"lambdavariables":           {min: 1, max: 1, structural: true, call: fnLambdaVariables},
		"utcnow":                    runtime,
		"newguid":                   runtime,
		"list":                      runtime, // every list*() function
		"pickzones":                 runtime,
		"providers":                 runtime,
		"deployer":                  runtime,
		"managementgroup":           {min: 0, max: 1, call: fnManagementGroup},
		"reference":                 {}, // handled in evalCall
		"if":                        {}, // handled in evalCall
	} {
		functions[name] = fn
	}
}

func fnParameters(f *frame, args []any) (any, error) {
	name, err := argString(args, 0, "parameter name")
	if err != nil {
		return nil, err
	}
	if f.locals != nil {
		if v, ok := f.locals[strings.ToLower(name)]; ok {
			// Copied, and charged, like variables: shared values must
			// not grow into exponentially large structures unpaid.
			return f.t.ev.copyValue(v, "function parameter "+quote(name))
		}
		return nil, fmt.Errorf("function parameter %q is not declared", name)
	}
	return f.t.parameter(name)
}

func fnVariables(f *frame, args []any) (any, error) {
	name, err := argString(args, 0, "variable name")
	if err != nil {
		return nil, err
	}
	return f.t.variable(name)
}

func fnLambdaVariables(f *frame, args []any) (any, error) {
	name, err := argString(args, 0, "lambda variable name")
	if err != nil {
		return nil, err
	}
	v, ok := f.lambda[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("lambda variable %q is not declared", name)
	}
	return f.t.ev.copyValue(v, "lambda variable "+quote(name))
}

// fnCopyIndex implements copyIndex(), copyIndex(offset), copyIndex('loop')
// and copyIndex('loop', offset).
func fnCopyIndex(f *frame, args []any) (any, error) {
	name, offset := "", 0
	for i, a := range args {
		switch v := a.(type) {
		case string:
			if i != 0 {
				return nil, errors.New("loop name must come first")
			}
			name = strings.ToLower(v)
		case float64:
			n, ok := toInt(v)
			if !ok {
				return nil, fmt.Errorf("offset %v is not an integer", v)
			}
			offset = n
		default:
			return nil, fmt.Errorf("argument %d is %s, want loop name or offset", i+1, typeName(a))
		}
	}
	for l := f.loops; l != nil; l = l.next {
		if (name == "" && l.resource) || (name != "" && l.name == name) {
			return float64(l.idx + offset), nil
		}
	}
	if name != "" {
		return nil, fmt.Errorf("not inside copy loop %q", name)
	}
	return nil, errors.New("not inside a copy loop")
}

func fnResourceGroup(f *frame, _ []any) (any, error) {
	s := f.t.exprScope
	if s.lv != atResourceGroup {
		return nil, fmt.Errorf("resourceGroup() is not available in a %s deployment", s.lv)
	}
	return map[string]any{
		"id":         s.ResourceGroupID().String(),
		"name":       s.ResourceGroup,
		"type":       "Microsoft.Resources/resourceGroups",
		"location":   s.Location,
		"tags":       map[string]any{},
		"properties": map[string]any{"provisioningState": "Succeeded"},
	}, nil
}

func fnSubscription(f *frame, _ []any) (any, error) {
	s := f.t.exprScope
	if s.lv != atResourceGroup && s.lv != atSubscription {
		return nil, fmt.Errorf("subscription() is not available in a %s deployment", s.lv)
	}
	return map[string]any{
		"id":             "/subscriptions/" + s.Subscription,
		"subscriptionId": s.Subscription,
		"tenantId":       s.TenantID,
		"displayName":    arm.Unknown{Expr: "subscription().displayName"},
	}, nil
}

func fnTenant(f *frame, _ []any) (any, error) {
	return map[string]any{
		"id":          "/tenants/" + f.t.exprScope.TenantID,
		"tenantId":    f.t.exprScope.TenantID,
		"countryCode": arm.Unknown{Expr: "tenant().countryCode"},
		"displayName": arm.Unknown{Expr: "tenant().displayName"},
	}, nil
}

// fnManagementGroup implements managementGroup() (the management group
// deployed to) and managementGroup(name) (as Bicep's scope function
// emits it).
func fnManagementGroup(f *frame, args []any) (any, error) {
	s := f.t.exprScope
	name := s.mg
	if len(args) == 1 {
		n, err := argString(args, 0, "management group name")
		if err != nil {
			return nil, err
		}
		name = n
	} else if s.lv != atManagementGroup {
		return nil, fmt.Errorf("managementGroup() is not available in a %s deployment", s.lv)
	}
	return map[string]any{
		"id":   "/providers/Microsoft.Management/managementGroups/" + name,
		"name": name,
		"type": "/providers/Microsoft.Management/managementGroups",
		"properties": map[string]any{
			"tenantId":    s.TenantID,
			"displayName": arm.Unknown{Expr: "managementGroup().properties.displayName"},
			"details":     arm.Unknown{Expr: "managementGroup().properties.details"},
		},
	}, nil
}

func fnDeployment(f *frame, _ []any) (any, error) {
	d := map[string]any{
		"name": f.t.deployName,
		"properties": map[string]any{
			"mode":              "Incremental",
			"provisioningState": "Accepted",
			"template":          map[string]any{"contentVersion": f.t.t.ContentVersion},
			// Set when the template is deployed from a link: whether it
			// will be is not known offline.
			"templateLink": arm.Unknown{Expr: "deployment().properties.templateLink"},
		},
	}
	// Only deployments above a resource group have a location.
	if f.t.target.lv != atResourceGroup {
		d["location"] = f.t.deployLocation()
	}
	return d, nil
}

// azureCloud is environment() for the Azure public cloud.
func azureCloud() map[string]any {
	return map[string]any{
		"name":                     "AzureCloud",
		"gallery":                  "https://gallery.azure.com/",
		"graph":                    "https://graph.windows.net/",
		"graphAudience":            "https://graph.windows.net/",
		"portal":                   "https://portal.azure.com",
		"resourceManager":          "https://management.azure.com/",
		"activeDirectoryDataLake":  "https://datalake.azure.net/",
		"batch":                    "https://batch.core.windows.net/",
		"media":                    "https://rest.media.azure.net",
		"sqlManagement":            "https://management.core.windows.net:8443/",
		"vmImageAliasDoc":          "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json",
		"microsoftGraphResourceId": "https://graph.microsoft.com/",
		"authentication": map[string]any{
			"loginEndpoint":    "https://login.microsoftonline.com/",
			"audiences":        []any{"https://management.core.windows.net/", "https://management.azure.com/"},
			"tenant":           "common",
			"identityProvider": "AAD",
		},
		"suffixes": map[string]any{
			"acrLoginServer":                      ".azurecr.io",
			"azureDatalakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
			"azureDatalakeStoreFileSystem":        "azuredatalakestore.net",
			"azureFrontDoorEndpointSuffix":        "azurefd.net",
			"keyvaultDns":                         ".vault.azure.net",
			"sqlServerHostname":                   ".database.windows.net",
			"storage":                             "core.windows.net",
		},
	}
}

// splitTypeArgs finds the resource type among resourceId-style arguments:
// the first argument containing '/'. It returns the leading scope
// arguments, the type and the name segments.
func splitTypeArgs(args []any) (lead []string, typ string, names []string, err error) {
	s, err := stringArgs(args)
	if err != nil {
		return nil, "", nil, err
	}
	at := -1
	for i, a := range s {
		if strings.Contains(a, "/") {
			at = i
			break
		}
	}
	if at < 0 {
		return nil, "", nil, errors.New("no resource type argument (namespace/type)")
	}
	typ = strings.Trim(s[at], "/")
	names = make([]string, 0, len(s)-at-1)
	for _, n := range s[at+1:] {
		if strings.IndexByte(n, '/') < 0 {
			names = append(names, n)
		} else {
			names = append(names, strings.Split(n, "/")...)
		}
	}
	if want := strings.Count(typ, "/"); want != len(names) {
		return nil, "", nil, fmt.Errorf("type %q needs %d name segments, got %d", typ, want, len(names))
	}
	return s[:at], typ, names, nil
}

// providerPath returns the prefix parts, "/providers/", the type's
// namespace and, for each further segment of the type, "/segment/name":
// the tail of a resource ID, built in one allocation (resourceId() and
// every resource's ID come through here).
func providerPath(typ string, names []string, prefix ...string) string {
	n := len("/providers/") + len(typ)
	for _, p := range prefix {
		n += len(p)
	}
	for _, nm := range names {
		n += 1 + len(nm)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range prefix {
		b.WriteString(p)
	}
	b.WriteString("/providers/")
	ns, rest, _ := strings.Cut(typ, "/")
	b.WriteString(ns)
	for i := 0; rest != ""; i++ {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		b.WriteByte('/')
		b.WriteString(seg)
		b.WriteByte('/')
		if i < len(names) {
			b.WriteString(names[i])
		}
	}
	return b.String()
}

func fnResourceID(f *frame, args []any) (any, error) {
	lead, typ, names, err := splitTypeArgs(args)
	if err != nil {
		return nil, err
	}
	s := f.t.exprScope
	sub, rg := s.Subscription, s.ResourceGroup
	switch len(lead) {
	case 0:
		// At management group and tenant level, resourceId() returns
		// an ID at that level.
		if s.lv == atManagementGroup || s.lv == atTenant {
			return providerPath(typ, names, s.prefix()), nil
		}
	case 1:
		if sub == "" {
			return nil, fmt.Errorf("resource group %q without a subscription in a %s deployment", lead[0], s.lv)
		}
		rg = lead[0]
	case 2:
		sub, rg = lead[0], lead[1]
	default:
		return nil, fmt.Errorf("too many arguments before type %q", typ)
	}
	if rg == "" {
		return providerPath(typ, names, "/subscriptions/", sub), nil
	}
	return providerPath(typ, names, "/subscriptions/", sub, "/resourceGroups/", rg), nil
}

func fnSubscriptionResourceID(f *frame, args []any) (any, error) {
	lead, typ, names, err := splitTypeArgs(args)
	if err != nil {
		return nil, err
	}
	sub := f.t.exprScope.Subscription
	switch len(lead) {
	case 0:
		if sub == "" {
			return nil, fmt.Errorf("subscriptionResourceId without a subscription ID in a %s deployment", f.t.exprScope.lv)
		}
	case 1:
		sub = lead[0]
	default:
		return nil, fmt.Errorf("too many arguments before type %q", typ)
	}
	return providerPath(typ, names, "/subscriptions/", sub), nil
}

func fnTenantResourceID(_ *frame, args []any) (any, error) {
	lead, typ, names, err := splitTypeArgs(args)
	if err != nil {
		return nil, err
	}
	if len(lead) != 0 {
		return nil, fmt.Errorf("unexpected arguments before type %q", typ)
	}
	return providerPath(typ, names), nil
}

func fnExtensionResourceID(_ *frame, args []any) (any, error) {
	base, err := argString(args, 0, "base resource ID")
	if err != nil {
		return nil, err
	}
	lead, typ, names, err := splitTypeArgs(args[1:])
	if err != nil {
		return nil, err
	}
	if len(lead) != 0 {
		return nil, fmt.Errorf("unexpected arguments before type %q", typ)
	}
	return providerPath(typ, names, strings.TrimSuffix(base, "/")), nil
}

func fnManagementGroupResourceID(_ *frame, args []any) (any, error) {
	lead, typ, names, err := splitTypeArgs(args)
	if err != nil {
		return nil, err
	}
	if len(lead) != 1 {
		return nil, errors.New("needs the management group name before the type")
	}
	return providerPath(typ, names, "/providers/Microsoft.Management/managementGroups/", lead[0]), nil
}
