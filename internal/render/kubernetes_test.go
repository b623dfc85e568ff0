package render_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/render"
)

// decoded is one workload file, every document strictly decoded into its
// upstream type.
type decoded struct {
	kinds      []string
	namespace  *corev1.Namespace
	sa         *corev1.ServiceAccount
	spc        *render.SecretProviderClass
	deployment *appsv1.Deployment
	service    *corev1.Service
	ingress    *networkingv1.Ingress
}

func decode(t *testing.T, file []byte) decoded {
	t.Helper()
	var d decoded
	for _, doc := range documents(file) {
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal(doc, &tm); err != nil {
			t.Fatalf("read kind: %v\n%s", err, doc)
		}
		d.kinds = append(d.kinds, tm.APIVersion+" "+tm.Kind)
		var target any
		switch tm.APIVersion + " " + tm.Kind {
		case "v1 Namespace":
			d.namespace = &corev1.Namespace{}
			target = d.namespace
		case "v1 ServiceAccount":
			d.sa = &corev1.ServiceAccount{}
			target = d.sa
		case "secrets-store.csi.x-k8s.io/v1 SecretProviderClass":
			d.spc = &render.SecretProviderClass{}
			target = d.spc
		case "apps/v1 Deployment":
			d.deployment = &appsv1.Deployment{}
			target = d.deployment
		case "v1 Service":
			d.service = &corev1.Service{}
			target = d.service
		case "networking.k8s.io/v1 Ingress":
			d.ingress = &networkingv1.Ingress{}
			target = d.ingress
		default:
			t.Fatalf("unexpected object %s %s", tm.APIVersion, tm.Kind)
		}
		if err := yaml.UnmarshalStrict(doc, target); err != nil {
			t.Fatalf("strict decode %s: %v\n%s", tm.Kind, err, doc)
		}
	}
	return d
}

// objectsOf decodes the SecretProviderClass "objects" parameter the way the
// Azure provider does: a YAML document with an array of YAML documents.
func objectsOf(t *testing.T, s string) (names, types []string) {
	t.Helper()
	var outer struct {
		Array []string `json:"array"`
	}
	if err := yaml.UnmarshalStrict([]byte(s), &outer); err != nil {
		t.Fatalf("decode objects: %v\n%s", err, s)
	}
	for _, item := range outer.Array {
		var o struct {
			ObjectName string `json:"objectName"`
			ObjectType string `json:"objectType"`
		}
		if err := yaml.UnmarshalStrict([]byte(item), &o); err != nil {
			t.Fatalf("decode object: %v\n%s", err, item)
		}
		names = append(names, o.ObjectName)
		types = append(types, o.ObjectType)
	}
	return names, types
}

// credentialOwner finds, in the set, the identity whose federated
// credential has exactly the subject, and returns its workload tag.
func credentialOwner(t *testing.T, set *arm.Set, subject string) string {
	t.Helper()
	var owners []string
	for _, r := range set.OfType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials") {
		if r.Prop("subject") != subject {
			continue
		}
		parent := strings.SplitN(r.Name, "/", 2)[0]
		for _, id := range set.OfType("Microsoft.ManagedIdentity/userAssignedIdentities") {
			if id.Name == parent {
				owners = append(owners, id.Tags.(map[string]any)["privaks-workload"].(string))
			}
		}
	}
	if len(owners) != 1 {
		t.Fatalf("identities trusting %s: %v, want exactly one", subject, owners)
	}
	return owners[0]
}

func TestKubernetesIdentityChain(t *testing.T) {
	set := setOf(t, testSpec(t))
	values := testValues(t, set)
	files, err := render.Kubernetes(set, values)
	if err != nil {
		t.Fatal(err)
	}
	vaults := set.OfType("Microsoft.KeyVault/vaults")
	if len(vaults) != 1 {
		t.Fatalf("%d vaults in the set", len(vaults))
	}
	vault := vaults[0].Name

	tests := []struct {
		file      string
		namespace string
		sa        string
		secrets   []string
		kinds     []string
		ingress   map[string]string // annotations; nil: no Ingress
		host      string            // the Ingress rule's host
	}{
		{
			file: "k8s/batch.yaml", namespace: "finance", sa: "batch",
			kinds: []string{"v1 Namespace", "v1 ServiceAccount", "apps/v1 Deployment", "v1 Service"},
		},
		{
			file: "k8s/billing.yaml", namespace: "finance", sa: "billing-sa", secrets: []string{"billing-api-key"},
			kinds: []string{"v1 Namespace", "v1 ServiceAccount", "secrets-store.csi.x-k8s.io/v1 SecretProviderClass",
				"apps/v1 Deployment", "v1 Service", "networking.k8s.io/v1 Ingress"},
			ingress: map[string]string{
				"appgw.ingress.kubernetes.io/use-private-ip":        "true",
				"appgw.ingress.kubernetes.io/appgw-ssl-certificate": "tls-default",
				"appgw.ingress.kubernetes.io/ssl-redirect":          "true",
			},
			host: "billing.privaks.internal",
		},
		{
			file: "k8s/orders.yaml", namespace: "orders", sa: "orders", secrets: []string{"orders-db-password", "1234"},
			kinds: []string{"v1 Namespace", "v1 ServiceAccount", "secrets-store.csi.x-k8s.io/v1 SecretProviderClass",
				"apps/v1 Deployment", "v1 Service", "networking.k8s.io/v1 Ingress"},
			ingress: map[string]string{
				"appgw.ingress.kubernetes.io/appgw-ssl-certificate": "tls-default",
				"appgw.ingress.kubernetes.io/ssl-redirect":          "true",
			},
			host: "orders.privaks.internal",
		},
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	if diff := cmp.Diff(names, []string{"k8s/batch.yaml", "k8s/billing.yaml", "k8s/orders.yaml"}); diff != "" {
		t.Errorf("files (-got +want):\n%s", diff)
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d := decode(t, files[tt.file])
			if diff := cmp.Diff(d.kinds, tt.kinds); diff != "" {
				t.Fatalf("kinds (-got +want):\n%s", diff)
			}
			if d.namespace.Name != tt.namespace {
				t.Errorf("namespace %q, want %q", d.namespace.Name, tt.namespace)
			}
			// The service account acts as the identity whose federated
			// credential trusts exactly this namespace and name.
			if d.sa.Namespace != tt.namespace || d.sa.Name != tt.sa {
				t.Errorf("service account %s/%s, want %s/%s", d.sa.Namespace, d.sa.Name, tt.namespace, tt.sa)
			}
			owner := credentialOwner(t, set, "system:serviceaccount:"+d.sa.Namespace+":"+d.sa.Name)
			clientID := values.ClientIDs[owner]
			if diff := cmp.Diff(d.sa.Annotations, map[string]string{
				"azure.workload.identity/client-id": clientID,
				"azure.workload.identity/tenant-id": testTenant,
			}); diff != "" {
				t.Errorf("service account annotations (-got +want):\n%s", diff)
			}

			pod := d.deployment.Spec.Template
			if pod.Spec.ServiceAccountName != d.sa.Name || d.deployment.Namespace != d.sa.Namespace {
				t.Errorf("deployment %s/%s runs as %q, want %s/%s", d.deployment.Namespace, d.deployment.Name, pod.Spec.ServiceAccountName, d.sa.Namespace, d.sa.Name)
			}
			if got := pod.Labels["azure.workload.identity/use"]; got != "true" {
				t.Errorf("pod label azure.workload.identity/use = %q, want \"true\"", got)
			}
			sel, err := metav1.LabelSelectorAsSelector(d.deployment.Spec.Selector)
			if err != nil || sel.Empty() || !sel.Matches(labels.Set(pod.Labels)) {
				t.Errorf("deployment selector %v does not select its pods %v (%v)", d.deployment.Spec.Selector, pod.Labels, err)
			}
			if len(d.service.Spec.Selector) == 0 || !labels.SelectorFromSet(d.service.Spec.Selector).Matches(labels.Set(pod.Labels)) {
				t.Errorf("service selector %v does not select the pods %v", d.service.Spec.Selector, pod.Labels)
			}
			if got := pod.Spec.Containers[0].Image; got != render.DefaultImage {
				t.Errorf("image %q, want %q", got, render.DefaultImage)
			}

			if tt.secrets == nil {
				if d.spc != nil || len(pod.Spec.Volumes) != 0 {
					t.Errorf("workload without secrets has a SecretProviderClass or volumes: %v", pod.Spec.Volumes)
				}
			} else {
				p := d.spc.Spec.Parameters
				if d.spc.Spec.Provider != "azure" || d.spc.Namespace != d.sa.Namespace {
					t.Errorf("SecretProviderClass provider %q in %q", d.spc.Spec.Provider, d.spc.Namespace)
				}
				if p["clientID"] != d.sa.Annotations["azure.workload.identity/client-id"] {
					t.Errorf("SecretProviderClass clientID %q, service account's %q", p["clientID"], d.sa.Annotations["azure.workload.identity/client-id"])
				}
				names, types := objectsOf(t, p["objects"])
				delete(p, "objects")
				if diff := cmp.Diff(p, map[string]string{
					"clientID": clientID, "keyvaultName": vault, "tenantId": testTenant,
					"usePodIdentity": "false", "cloudName": "AzurePublicCloud",
				}); diff != "" {
					t.Errorf("SecretProviderClass parameters (-got +want):\n%s", diff)
				}
				if diff := cmp.Diff(names, tt.secrets); diff != "" {
					t.Errorf("objects (-got +want):\n%s", diff)
				}
				for _, ty := range types {
					if ty != "secret" {
						t.Errorf("objectType %q, want secret", ty)
					}
				}
				// The pod mounts this class through the CSI driver, read-only.
				if len(pod.Spec.Volumes) != 1 || pod.Spec.Volumes[0].CSI == nil {
					t.Fatalf("volumes %+v, want one CSI volume", pod.Spec.Volumes)
				}
				v := pod.Spec.Volumes[0]
				ro := v.CSI.ReadOnly != nil && *v.CSI.ReadOnly
				if v.CSI.Driver != "secrets-store.csi.k8s.io" || !ro || v.CSI.VolumeAttributes["secretProviderClass"] != d.spc.Name {
					t.Errorf("CSI volume %+v, want driver secrets-store.csi.k8s.io, readOnly, class %q", v.CSI, d.spc.Name)
				}
				mounts := pod.Spec.Containers[0].VolumeMounts
				if len(mounts) != 1 || mounts[0].Name != v.Name || !mounts[0].ReadOnly {
					t.Errorf("mounts %+v, want %q read-only", mounts, v.Name)
				}
			}

			if tt.ingress == nil {
				if d.ingress != nil {
					t.Errorf("unexposed workload has an Ingress")
				}
				return
			}
			ing := d.ingress
			if ing.Spec.IngressClassName == nil || *ing.Spec.IngressClassName != "azure-application-gateway" {
				t.Errorf("ingressClassName %v, want azure-application-gateway", ing.Spec.IngressClassName)
			}
			got := ing.Annotations
			if got == nil {
				got = map[string]string{}
			}
			if diff := cmp.Diff(got, tt.ingress); diff != "" {
				t.Errorf("ingress annotations (-got +want):\n%s", diff)
			}
			// The host and certificate are the gateway's listener's: AGIC
			// writes a listener answering exactly this host.
			if h := ing.Spec.Rules[0].Host; h != tt.host {
				t.Errorf("ingress host %q, want %q", h, tt.host)
			}
			b := ing.Spec.Rules[0].HTTP.Paths[0].Backend.Service
			if b.Name != d.service.Name || b.Port.Number != d.service.Spec.Ports[0].Port {
				t.Errorf("ingress backend %s:%d, service %s:%d", b.Name, b.Port.Number, d.service.Name, d.service.Spec.Ports[0].Port)
			}
		})
	}
}

func TestKubernetesRefusesIncompleteValues(t *testing.T) {
	set := setOf(t, testSpec(t))
	full := testValues(t, set)
	without := func(name string) map[string]string {
		m := map[string]string{}
		for k, v := range full.ClientIDs {
			if k != name {
				m[k] = v
			}
		}
		return m
	}
	tests := []struct {
		name   string
		values render.Values
		want   []string // substrings of the error
		none   bool     // errors.Is ErrNoValues
	}{
		{name: "no values", values: render.Values{}, none: true, want: []string{"no deployment values"}},
		{name: "one client ID missing", values: render.Values{TenantID: testTenant, ClientIDs: without("billing")},
			want: []string{`render workload "billing": no client ID for identity id-wl-billing`}},
		{name: "placeholder client ID", values: render.Values{TenantID: testTenant, ClientIDs: map[string]string{
			"orders": full.ClientIDs["orders"], "billing": "<client-id>", "batch": full.ClientIDs["batch"]}},
			want: []string{`render workload "billing": client ID "<client-id>" is not a GUID`}},
		{name: "unevaluated expression", values: render.Values{TenantID: "[subscription().tenantId]", ClientIDs: full.ClientIDs},
			want: []string{`tenant ID "[subscription().tenantId]" is not a GUID`}},
		{name: "no tenant", values: render.Values{ClientIDs: full.ClientIDs}, want: []string{"no tenant ID"}},
		{name: "outputs of another deployment", values: render.Values{TenantID: testTenant, ClientIDs: full.ClientIDs, KeyVaultName: "kv-elsewhere"},
			want: []string{`render workload "orders": the deployment outputs name vault "kv-elsewhere"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := render.Kubernetes(set, tt.values)
			if err == nil || files != nil {
				t.Fatalf("got %d files, error %v; want an error and no files", len(files), err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if got := errors.Is(err, render.ErrNoValues); got != tt.none {
				t.Errorf("errors.Is(ErrNoValues) = %v, want %v", got, tt.none)
			}
		})
	}
}

func TestKubernetesDeterministic(t *testing.T) {
	a, err := render.Kubernetes(setOf(t, testSpec(t)), testValues(t, setOf(t, testSpec(t))))
	if err != nil {
		t.Fatal(err)
	}
	b, err := render.Kubernetes(setOf(t, testSpec(t)), testValues(t, setOf(t, testSpec(t))))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two renders differ (-first +second):\n%s", diff)
	}
}

func TestKubernetesImageTag(t *testing.T) {
	set := setOf(t, testSpec(t))
	for _, r := range set.OfType("Microsoft.ManagedIdentity/userAssignedIdentities") {
		if tags, ok := r.Tags.(map[string]any); ok && tags["privaks-workload"] == "orders" {
			tags[render.TagImage] = "acrprivaks.azurecr.io/orders:1.2.3"
		}
	}
	files, err := render.Kubernetes(set, testValues(t, set))
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{"k8s/orders.yaml": "acrprivaks.azurecr.io/orders:1.2.3", "k8s/batch.yaml": render.DefaultImage} {
		if got := decode(t, files[file]).deployment.Spec.Template.Spec.Containers[0].Image; got != want {
			t.Errorf("%s: image %q, want %q", file, got, want)
		}
	}
}
