package deploy

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// API versions of the REST calls the preflight makes without an SDK module.
// Each was checked against public callers of the same endpoint:
//   - permissions 2022-04-01: GET {scope}/providers/Microsoft.Authorization/permissions
//     returns {"value":[{"actions":[...],"notActions":[...]}]}, one entry per
//     role (Microsoft.Authorization 2022-04-01 "Permission" in bicep-types-az;
//     used at resource-group scope by public tools).
//   - ACR 2023-07-01: POST /subscriptions/{s}/providers/Microsoft.ContainerRegistry/checkNameAvailability
//     with {"name", "type":"Microsoft.ContainerRegistry/registries"} returns
//     {"nameAvailable", "reason", "message"} (Registries_CheckNameAvailability).
//   - Key Vault 2022-07-01: POST /subscriptions/{s}/providers/Microsoft.KeyVault/checkNameAvailability
//     with {"name", "type":"Microsoft.KeyVault/vaults"}, same answer shape
//     (Vaults_CheckNameAvailability), and GET
//     /subscriptions/{s}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{vaultName}
//     (Vaults_GetDeleted: 200 with the deleted vault, 404 when none).
const (
	permissionsAPIVersion = "2022-04-01"
	acrAPIVersion         = "2023-07-01"
	keyVaultAPIVersion    = "2022-07-01"
)

const roleAssignmentWrite = "Microsoft.Authorization/roleAssignments/write"

type permission struct {
	Actions    []string `json:"actions"`
	NotActions []string `json:"notActions"`
}

// checkRoleAssignmentWrite verifies the caller may create the template's role
// assignments. The effective permissions are a union over roles, each role
// granting its actions minus its notActions; patterns use * wildcards.
func (s *session) checkRoleAssignmentWrite(ctx context.Context, in preflightInput, o *options) ([]Problem, error) {
	needed := false
	for _, r := range in.artifact.Template.Resources {
		if r.Is("Microsoft.Authorization/roleAssignments") {
			needed = true
		}
	}
	if !needed {
		return nil, nil
	}
	scope := s.rest.subPath()
	if in.rgExists {
		scope = in.groupPath
	}
	path := scope + "/providers/Microsoft.Authorization/permissions"
	var perms []permission
	for path != "" {
		var page struct {
			Value    []permission `json:"value"`
			NextLink string       `json:"nextLink"`
		}
		if _, err := s.rest.call(ctx, http.MethodGet, path, permissionsAPIVersion, nil, nil, &page, http.StatusOK); err != nil {
			return nil, fmt.Errorf("list permissions at %q: %w", scope, err)
		}
		perms = append(perms, page.Value...)
		path = ""
		if page.NextLink != "" {
			if u, err := url.Parse(page.NextLink); err == nil {
				path = u.Path // api-version is set again by send
			}
		}
	}
	if allowed(perms, roleAssignmentWrite) {
		o.logf("✓ caller may write role assignments in %s", s.target.ResourceGroup)
		return nil, nil
	}
	return []Problem{{"permissions", fmt.Sprintf("the signed-in identity cannot create role assignments (%s) in resource group %s: ask for Owner, User Access Administrator or Role Based Access Control Administrator on it, then apply again.", roleAssignmentWrite, s.target.ResourceGroup)}}, nil
}

// allowed reports whether action is granted by some permission entry and
// not excluded by that entry's notActions.
func allowed(perms []permission, action string) bool {
	for _, p := range perms {
		if matchesAny(p.Actions, action) && !matchesAny(p.NotActions, action) {
			return true
		}
	}
	return false
}

func matchesAny(patterns []string, action string) bool {
	for _, p := range patterns {
		if wildcardMatch(strings.ToLower(p), strings.ToLower(action)) {
			return true
		}
	}
	return false
}

// wildcardMatch matches s against a pattern in which * stands for any run of
// characters, "/" included (RBAC action semantics: "Microsoft.Authorization/*/Write").
func wildcardMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

type nameAvailability struct {
	NameAvailable bool   `json:"nameAvailable"`
	Reason        string `json:"reason"`
	Message       string `json:"message"`
}

// checkNames verifies that the globally unique names of new container
// registries and key vaults are free, and that no soft-deleted vault holds a
// vault's name. Resources that already exist in the target resource group
// are the stack's own and are skipped.
func (s *session) checkNames(ctx context.Context, in preflightInput, o *options) ([]Problem, error) {
	var problems []Problem
	checked := 0
	for _, r := range in.artifact.Template.Resources {
		isACR, isKV := r.Is("Microsoft.ContainerRegistry/registries"), r.Is("Microsoft.KeyVault/vaults")
		if !isACR && !isKV {
			continue
		}
		name, ok := in.artifact.resolveString(r.Name)
		if !ok {
			o.logf("• skipped the name check of %s %q: the name is an expression", r.Type, r.Name)
			continue
		}
		id := strings.ToLower(in.groupPath + "/providers/" + r.Type + "/" + name)
		if in.existing[id] {
			continue
		}
		checked++
		if isACR {
			p, err := s.checkACRName(ctx, name)
			if err != nil {
				return nil, err
			}
			problems = append(problems, p...)
			continue
		}
		loc, ok := in.artifact.resolveString(r.Location)
		if !ok || loc == "" {
			loc = in.location
		}
		p, err := s.checkVaultName(ctx, name, normLocation(loc))
		if err != nil {
			return nil, err
		}
		problems = append(problems, p...)
	}
	if checked > 0 && len(problems) == 0 {
		o.logf("✓ container registry and key vault names available")
	}
	return problems, nil
}

func (s *session) checkACRName(ctx context.Context, name string) ([]Problem, error) {
	var na nameAvailability
	body := map[string]string{"name": name, "type": "Microsoft.ContainerRegistry/registries"}
	if _, err := s.rest.call(ctx, http.MethodPost, s.rest.subPath()+"/providers/Microsoft.ContainerRegistry/checkNameAvailability", acrAPIVersion, nil, body, &na, http.StatusOK); err != nil {
		return nil, fmt.Errorf("check container registry name %q: %w", name, err)
	}
	if na.NameAvailable {
		return nil, nil
	}
	return []Problem{{"names", fmt.Sprintf("container registry name %q is not available (%s): registry names are global, so choose another name in the spec and run `privaks plan` again.", name, reasonText(na))}}, nil
}

func (s *session) checkVaultName(ctx context.Context, name, location string) ([]Problem, error) {
	var deleted struct {
		Properties struct {
			DeletionDate           string `json:"deletionDate"`
			ScheduledPurgeDate     string `json:"scheduledPurgeDate"`
			PurgeProtectionEnabled bool   `json:"purgeProtectionEnabled"`
		} `json:"properties"`
	}
	path := s.rest.subPath() + "/providers/Microsoft.KeyVault/locations/" + url.PathEscape(location) + "/deletedVaults/" + url.PathEscape(name)
	_, err := s.rest.call(ctx, http.MethodGet, path, keyVaultAPIVersion, nil, nil, &deleted, http.StatusOK)
	switch {
	case err == nil:
		fix := fmt.Sprintf("recover it (az keyvault recover --name %s) or purge it (az keyvault purge --name %s --location %s)", name, name, location)
		if deleted.Properties.PurgeProtectionEnabled {
			fix = fmt.Sprintf("recover it (az keyvault recover --name %s); purge protection keeps the name until %s", name, orUnknown2(deleted.Properties.ScheduledPurgeDate))
		}
		return []Problem{{"names", fmt.Sprintf("key vault name %q is held by a soft-deleted vault in %s (purge scheduled %s): %s, or choose another name.", name, location, orUnknown2(deleted.Properties.ScheduledPurgeDate), fix)}}, nil
	case !isNotFound(err):
		return nil, fmt.Errorf("get deleted key vault %q: %w", name, err)
	}
	var na nameAvailability
	body := map[string]string{"name": name, "type": "Microsoft.KeyVault/vaults"}
	if _, err := s.rest.call(ctx, http.MethodPost, s.rest.subPath()+"/providers/Microsoft.KeyVault/checkNameAvailability", keyVaultAPIVersion, nil, body, &na, http.StatusOK); err != nil {
		return nil, fmt.Errorf("check key vault name %q: %w", name, err)
	}
	if na.NameAvailable {
		return nil, nil
	}
	return []Problem{{"names", fmt.Sprintf("key vault name %q is not available (%s): vault names are global, so choose another name in the spec and run `privaks plan` again.", name, reasonText(na))}}, nil
}

func reasonText(na nameAvailability) string {
	switch {
	case na.Message != "":
		return strings.TrimSuffix(na.Message, ".")
	case na.Reason != "":
		return na.Reason
	}
	return "no reason given"
}

func orUnknown2(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
