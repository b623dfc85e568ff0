package render

// SecretProviderClass mirrors the v1 SecretProviderClass of the Secrets
// Store CSI driver (sigs.k8s.io/secrets-store-csi-driver apis/v1,
// SecretProviderClass and SecretProviderClassSpec: provider, parameters,
// secretObjects). The driver's module is not a dependency of privaks, so
// this minimal copy keeps the same JSON field names; the status
// sub-resource, which the driver writes, is left out.
type SecretProviderClass struct {
	TypeMeta
	ObjectMeta `json:"metadata"`
	Spec       SecretProviderClassSpec `json:"spec"`
}

// SecretProviderClassSpec mirrors upstream SecretProviderClassSpec.
type SecretProviderClassSpec struct {
	// Provider is the name of the provider plugin ("azure").
	Provider string `json:"provider,omitempty"`
	// Parameters are the provider's own parameters.
	Parameters map[string]string `json:"parameters,omitempty"`
	// SecretObjects sync mounted contents to Kubernetes Secrets.
	SecretObjects []*SecretObject `json:"secretObjects,omitempty"`
}

// SecretObject mirrors upstream SecretObject.
type SecretObject struct {
	SecretName  string              `json:"secretName,omitempty"`
	Type        string              `json:"type,omitempty"`
	Labels      map[string]string   `json:"labels,omitempty"`
	Annotations map[string]string   `json:"annotations,omitempty"`
	Data        []*SecretObjectData `json:"data,omitempty"`
}

// SecretObjectData mirrors upstream SecretObjectData.
type SecretObjectData struct {
	ObjectName string `json:"objectName,omitempty"`
	Key        string `json:"key,omitempty"`
}

// SecretProviderClassAPIVersion is the group/version privaks writes.
const SecretProviderClassAPIVersion = "secrets-store.csi.x-k8s.io/v1"
