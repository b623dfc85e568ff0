package render

// The Kubernetes objects render writes, as minimal mirrors of their
// k8s.io/api types (core/v1, apps/v1, networking/v1 and apimachinery's
// meta/v1): the fields privaks sets, with the same JSON names and
// omitempty rules. k8s.io/api and apimachinery are not linked into privaks
// for this: their package initialisation (API validation tables,
// json-iterator, CBOR modes, registries of every type) cost every command
// about 3 ms of start-up and 1.2 MB of binary, for nine structs. The tests
// decode every manifest strictly (sigs.k8s.io/yaml UnmarshalStrict) into
// the real k8s.io/api types, so a field name or type that drifts fails
// there.

// TypeMeta mirrors meta/v1 TypeMeta.
type TypeMeta struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
}

// ObjectMeta mirrors the part of meta/v1 ObjectMeta privaks writes.
type ObjectMeta struct {
	Name        string            `json:"name,omitempty"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// object is a Namespace or ServiceAccount: metadata only.
type object struct {
	TypeMeta
	ObjectMeta `json:"metadata"`
}

type deployment struct {
	TypeMeta
	ObjectMeta `json:"metadata"`
	Spec       deploymentSpec `json:"spec"`
}

type deploymentSpec struct {
	Replicas *int32          `json:"replicas,omitempty"`
	Selector *labelSelector  `json:"selector"`
	Template podTemplateSpec `json:"template"`
}

type labelSelector struct {
	MatchLabels map[string]string `json:"matchLabels,omitempty"`
}

type podTemplateSpec struct {
	ObjectMeta `json:"metadata"`
	Spec       podSpec `json:"spec"`
}

type podSpec struct {
	Volumes            []volume    `json:"volumes,omitempty"`
	Containers         []container `json:"containers"`
	ServiceAccountName string      `json:"serviceAccountName,omitempty"`
}

type volume struct {
	Name string     `json:"name"`
	CSI  *csiVolume `json:"csi,omitempty"`
}

type csiVolume struct {
	Driver           string            `json:"driver"`
	ReadOnly         *bool             `json:"readOnly,omitempty"`
	VolumeAttributes map[string]string `json:"volumeAttributes,omitempty"`
}

type container struct {
	Name            string               `json:"name"`
	Image           string               `json:"image,omitempty"`
	Ports           []portSpec           `json:"ports,omitempty"`
	Resources       resourceRequirements `json:"resources"`
	VolumeMounts    []volumeMount        `json:"volumeMounts,omitempty"`
	ReadinessProbe  *probe               `json:"readinessProbe,omitempty"`
	SecurityContext *securityContext     `json:"securityContext,omitempty"`
}

type portSpec struct {
	Name          string `json:"name,omitempty"`
	ContainerPort int32  `json:"containerPort"`
	Protocol      string `json:"protocol,omitempty"`
}

// resourceRequirements' quantities are written in canonical form ("50m",
// "64Mi"), as resource.Quantity marshals them.
type resourceRequirements struct {
	Limits   map[string]string `json:"limits,omitempty"`
	Requests map[string]string `json:"requests,omitempty"`
}

type volumeMount struct {
	Name      string `json:"name"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
	MountPath string `json:"mountPath"`
}

type probe struct {
	HTTPGet *httpGetAction `json:"httpGet,omitempty"`
}

// httpGetAction's Port is an IntOrString holding a port name.
type httpGetAction struct {
	Path string `json:"path,omitempty"`
	Port string `json:"port"`
}

type securityContext struct {
	AllowPrivilegeEscalation *bool           `json:"allowPrivilegeEscalation,omitempty"`
	SeccompProfile           *seccompProfile `json:"seccompProfile,omitempty"`
}

type seccompProfile struct {
	Type string `json:"type"`
}

type service struct {
	TypeMeta
	ObjectMeta `json:"metadata"`
	Spec       serviceSpec `json:"spec"`
}

type serviceSpec struct {
	Ports    []servicePort     `json:"ports,omitempty"`
	Selector map[string]string `json:"selector,omitempty"`
	Type     string            `json:"type,omitempty"`
}

// servicePort's TargetPort is an IntOrString holding a port name.
type servicePort struct {
	Name       string `json:"name,omitempty"`
	Protocol   string `json:"protocol,omitempty"`
	Port       int32  `json:"port"`
	TargetPort string `json:"targetPort,omitempty"`
}

type ingress struct {
	TypeMeta
	ObjectMeta `json:"metadata"`
	Spec       ingressSpec `json:"spec"`
}

type ingressSpec struct {
	IngressClassName *string       `json:"ingressClassName,omitempty"`
	Rules            []ingressRule `json:"rules,omitempty"`
}

type ingressRule struct {
	Host string            `json:"host,omitempty"`
	HTTP *httpIngressRules `json:"http,omitempty"`
}

type httpIngressRules struct {
	Paths []httpIngressPath `json:"paths"`
}

type httpIngressPath struct {
	Path     string         `json:"path,omitempty"`
	PathType *string        `json:"pathType"`
	Backend  ingressBackend `json:"backend"`
}

type ingressBackend struct {
	Service *ingressServiceBackend `json:"service,omitempty"`
}

type ingressServiceBackend struct {
	Name string             `json:"name"`
	Port serviceBackendPort `json:"port"`
}

type serviceBackendPort struct {
	Number int32 `json:"number,omitempty"`
}
