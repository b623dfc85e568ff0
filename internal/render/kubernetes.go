package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/conventions"
)

// Microsoft Entra Workload ID (azure-workload-identity docs, "Service
// Account Labels and Annotations"): the service account carries the
// identity's client ID (and optionally its tenant) as annotations; the
// label azure.workload.identity/use: "true" is required on the pod (not the
// service account) for the mutating webhook to inject AZURE_CLIENT_ID,
// AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE and the projected token.
const (
	AnnotationClientID = "azure.workload.identity/client-id"
	AnnotationTenantID = "azure.workload.identity/tenant-id"
	LabelUse           = "azure.workload.identity/use"
)

// Application Gateway Ingress Controller (AGIC docs, "Annotations for
// Application Gateway Ingress Controller", "Use private IP for internal
// routing" and "appgw-ssl-certificate"): the AKS add-on's IngressClass is
// azure-application-gateway; use-private-ip puts the listener on the
// gateway's private frontend; appgw-ssl-certificate names a certificate
// installed on the gateway (privaks installs it as a Key Vault reference),
// so the Ingress needs no TLS secret in the cluster; ssl-redirect adds the
// HTTP → HTTPS redirect. Public and private listeners both use 443 (v2
// accepts the same port on both frontends), so no frontend-port override.
const (
	IngressClass             = "azure-application-gateway"
	AnnotationUsePrivateIP   = "appgw.ingress.kubernetes.io/use-private-ip"
	AnnotationSSLCertificate = "appgw.ingress.kubernetes.io/appgw-ssl-certificate"
	AnnotationSSLRedirect    = "appgw.ingress.kubernetes.io/ssl-redirect"
)

// Secrets Store CSI driver with the Azure Key Vault provider (provider docs,
// "Workload Identity" access mode; Microsoft Learn "Connect your Azure
// identity provider to the Azure Key Vault Secrets Store CSI Driver"): the
// inline volume's driver is secrets-store.csi.k8s.io and its
// volumeAttributes name the SecretProviderClass; the class's parameters
// are clientID (workload identity mode), keyvaultName, tenantId,
// usePodIdentity "false", cloudName and objects, a YAML document
// {array: [<YAML document per object>]} in a string.
const (
	CSIDriver        = "secrets-store.csi.k8s.io"
	CSIProvider      = "azure"
	SecretsMountPath = "/mnt/secrets-store"
	// CloudName is the Azure cloud of the vault; privaks targets the
	// public cloud (its vault DNS suffix is vault.azure.net).
	CloudName = "AzurePublicCloud"
)

// DefaultImage is the sample workload's image: the spec's default image,
// which the resource set does not record. An identity tag TagImage, when
// present, overrides it.
const DefaultImage = "mcr.microsoft.com/azuredocs/aks-helloworld:v1"

// TagImage is an optional identity tag naming the workload's image. The
// compiler does not write it today; render reads it when a set has it.
const TagImage = conventions.TagImage

// containerPort is the port the sample image listens on.
const containerPort = 80

// ErrNoValues is returned (wrapped) by Kubernetes when no deployment values
// are given at all.
var ErrNoValues = errors.New("no deployment values")

// Kubernetes renders k8s/<workload>.yaml for every workload of the set:
// Namespace, ServiceAccount, SecretProviderClass (when the workload has
// secrets), Deployment, Service and, for public and private exposure,
// Ingress. Every workload needs its client ID and the tenant ID in values;
// if one is missing or not a GUID nothing is rendered and the error names
// each workload concerned. The output is deterministic.
func Kubernetes(set *arm.Set, values Values) (map[string][]byte, error) {
	ws, err := Workloads(set)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return map[string][]byte{}, nil
	}
	if values.TenantID == "" && len(values.ClientIDs) == 0 {
		return nil, fmt.Errorf("render kubernetes manifests: %w: the client IDs and tenant ID exist only once deployed; read them from the deployment's outputs", ErrNoValues)
	}
	if err := checkValues(ws, values); err != nil {
		return nil, err
	}
	images := imagesOf(set)
	files := map[string][]byte{}
	for _, w := range ws {
		img := images[w.Identity.Key()]
		if img == "" {
			img = DefaultImage
		}
		b, err := manifest(w, values.ClientIDs[w.Name], values.TenantID, img)
		if err != nil {
			return nil, fmt.Errorf("render workload %q: %w", w.Name, err)
		}
		files["k8s/"+w.Name+".yaml"] = b
	}
	return files, nil
}

// checkValues reports every workload whose values are missing or malformed.
func checkValues(ws []Workload, v Values) error {
	var errs []error
	switch {
	case v.TenantID == "":
		errs = append(errs, fmt.Errorf("render kubernetes manifests: no tenant ID (output %q)", OutputTenantID))
	case !isGUID(v.TenantID):
		errs = append(errs, fmt.Errorf("render kubernetes manifests: tenant ID %q is not a GUID", v.TenantID))
	}
	for _, w := range ws {
		id, ok := v.ClientIDs[w.Name]
		switch {
		case !ok || id == "":
			errs = append(errs, fmt.Errorf("render workload %q: no client ID for identity %s in the deployment outputs (%s.%s): were they read from a deployment of this design?", w.Name, lastSegment(w.Identity), OutputClientIDs, w.Name))
		case !isGUID(id):
			errs = append(errs, fmt.Errorf("render workload %q: client ID %q is not a GUID", w.Name, id))
		}
		if v.KeyVaultName != "" && !strings.EqualFold(v.KeyVaultName, w.Vault) {
			errs = append(errs, fmt.Errorf("render workload %q: the deployment outputs name vault %q but the design's is %q: were they read from a deployment of this design?", w.Name, v.KeyVaultName, w.Vault))
		}
	}
	return errors.Join(errs...)
}

func lastSegment(id arm.ResourceID) string {
	s := string(id)
	return s[strings.LastIndex(s, "/")+1:]
}

// imagesOf maps identity keys to their TagImage tag.
func imagesOf(set *arm.Set) map[string]string {
	out := map[string]string{}
	for _, r := range set.OfType("Microsoft.ManagedIdentity/userAssignedIdentities") {
		if tags, ok := r.Tags.(map[string]any); ok {
			if s, ok := tags[TagImage].(string); ok {
				out[r.ID.Key()] = s
			}
		}
	}
	return out
}

// Names of the objects of one workload.
func spcName(w Workload) string { return w.Name + "-secrets" }

func labelsOf(w Workload) map[string]string {
	return map[string]string{"app.kubernetes.io/name": w.Name, "app.kubernetes.io/managed-by": "privaks"}
}

// manifest renders one workload's objects as a multi-document YAML file.
func manifest(w Workload, clientID, tenantID, image string) ([]byte, error) {
	labels := labelsOf(w)
	selector := map[string]string{"app.kubernetes.io/name": w.Name}
	meta := func(name string) ObjectMeta {
		return ObjectMeta{Name: name, Namespace: w.Namespace, Labels: labels}
	}
	objs := []any{
		object{TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Namespace"}, ObjectMeta: ObjectMeta{Name: w.Namespace}},
	}
	sa := object{TypeMeta: TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"}, ObjectMeta: meta(w.ServiceAccount)}
	sa.Annotations = map[string]string{AnnotationClientID: clientID, AnnotationTenantID: tenantID}
	objs = append(objs, sa)

	pod := podSpec{
		ServiceAccountName: w.ServiceAccount,
		Containers: []container{{
			Name:  w.Name,
			Image: image,
			Ports: []portSpec{{Name: "http", ContainerPort: containerPort, Protocol: "TCP"}},
			// AGIC derives the gateway's health probe from the readiness
			// probe.
			ReadinessProbe: &probe{HTTPGet: &httpGetAction{Path: "/", Port: "http"}},
			Resources: resourceRequirements{
				Requests: map[string]string{"cpu": "50m", "memory": "64Mi"},
				Limits:   map[string]string{"memory": "256Mi"},
			},
			SecurityContext: &securityContext{
				AllowPrivilegeEscalation: new(false),
				SeccompProfile:           &seccompProfile{Type: "RuntimeDefault"},
			},
		}},
	}
	if len(w.Secrets) > 0 {
		spc := SecretProviderClass{
			TypeMeta:   TypeMeta{APIVersion: SecretProviderClassAPIVersion, Kind: "SecretProviderClass"},
			ObjectMeta: meta(spcName(w)),
			Spec: SecretProviderClassSpec{
				Provider: CSIProvider,
				Parameters: map[string]string{
					"usePodIdentity": "false",
					"clientID":       clientID,
					"keyvaultName":   w.Vault,
					"tenantId":       tenantID,
					"cloudName":      CloudName,
					"objects":        ObjectsParameter(w.Secrets),
				},
			},
		}
		objs = append(objs, spc)
		pod.Volumes = []volume{{
			Name: "secrets-store",
			CSI: &csiVolume{
				Driver:           CSIDriver,
				ReadOnly:         new(true),
				VolumeAttributes: map[string]string{"secretProviderClass": spcName(w)},
			},
		}}
		pod.Containers[0].VolumeMounts = []volumeMount{{Name: "secrets-store", MountPath: SecretsMountPath, ReadOnly: true}}
	}
	podLabels := map[string]string{LabelUse: "true"}
	for k, v := range labels {
		podLabels[k] = v
	}
	objs = append(objs, deployment{
		TypeMeta:   TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: meta(w.Name),
		Spec: deploymentSpec{
			Replicas: new(int32(2)),
			Selector: &labelSelector{MatchLabels: selector},
			Template: podTemplateSpec{
				ObjectMeta: ObjectMeta{Labels: podLabels},
				Spec:       pod,
			},
		},
	})
	objs = append(objs, service{
		TypeMeta:   TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: meta(w.Name),
		Spec: serviceSpec{
			Type:     "ClusterIP",
			Selector: selector,
			Ports:    []servicePort{{Name: "http", Port: containerPort, TargetPort: "http", Protocol: "TCP"}},
		},
	})
	if w.Exposure == ExposurePublic || w.Exposure == ExposurePrivate {
		objs = append(objs, ingressFor(w, meta(w.Name)))
	}

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Workload %s, rendered by privaks from its identity %s.\n", w.Name, lastSegment(w.Identity))
	fmt.Fprintf(&buf, "# Do not edit: change the spec, then run `privaks render --from-deployment`.\n")
	for i, o := range objs {
		b, err := marshalObject(o)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			buf.WriteString("---\n")
		}
		buf.Write(b)
	}
	return buf.Bytes(), nil
}

// ingressFor is the workload's Ingress for AGIC: its host, HTTPS with the
// gateway's certificate and a redirect from HTTP, on the private frontend
// for private exposure: the listeners privaks compiles onto the gateway.
func ingressFor(w Workload, m ObjectMeta) ingress {
	ing := ingress{
		TypeMeta:   TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "Ingress"},
		ObjectMeta: m,
		Spec: ingressSpec{
			IngressClassName: new(IngressClass),
			Rules: []ingressRule{{Host: w.Host, HTTP: &httpIngressRules{Paths: []httpIngressPath{{
				Path:     "/",
				PathType: new("Prefix"),
				Backend: ingressBackend{Service: &ingressServiceBackend{
					Name: w.Name, Port: serviceBackendPort{Number: containerPort},
				}},
			}}}}},
		},
	}
	ing.Annotations = map[string]string{}
	if w.Certificate != "" {
		ing.Annotations[AnnotationSSLCertificate] = w.Certificate
		ing.Annotations[AnnotationSSLRedirect] = "true"
	}
	if w.Exposure == ExposurePrivate {
		ing.Annotations[AnnotationUsePrivateIP] = "true"
	}
	if len(ing.Annotations) == 0 {
		ing.Annotations = nil
	}
	return ing
}

// ObjectsParameter returns the SecretProviderClass "objects" parameter for
// Key Vault secrets: a YAML document whose "array" holds one YAML document
// (a string) per object, as the Azure provider reads it. Names are quoted
// so that one such as "1234" or "true" stays a string.
func ObjectsParameter(secrets []string) string {
	var b strings.Builder
	b.WriteString("array:\n")
	for _, s := range secrets {
		fmt.Fprintf(&b, "  - |\n    objectName: %s\n    objectType: secret\n", strconv.Quote(s))
	}
	return b.String()
}

// marshalObject writes one object as YAML with sorted keys, without null
// values and empty objects (resources: {} of a container without
// requests), which the API server defaults anyway.
func marshalObject(o any) ([]byte, error) {
	jb, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("marshal %T: %w", o, err)
	}
	var v any
	if err := json.Unmarshal(jb, &v); err != nil {
		return nil, fmt.Errorf("marshal %T: %w", o, err)
	}
	b, err := yaml.Marshal(prune(v))
	if err != nil {
		return nil, fmt.Errorf("marshal %T: %w", o, err)
	}
	return b, nil
}

// prune drops null values and empty objects, recursively.
func prune(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			x = prune(x)
			if m, ok := x.(map[string]any); x == nil || ok && len(m) == 0 {
				delete(t, k)
				continue
			}
			t[k] = x
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = prune(x)
		}
		return t
	}
	return v
}
