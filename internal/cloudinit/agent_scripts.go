package cloudinit

// installScript installs the Azure CLI, kubectl, kubelogin, helm and the
// CI agent. It is idempotent: cloud-init runs it once, an operator may
// run it again.
const installScript = `#!/bin/sh
# privaks-agent-install: install the Azure CLI (Microsoft's apt repository),
# kubectl, kubelogin and helm (pinned releases, SHA-256 checked) and the CI
# agent, all from settings in /etc/privaks/agent.conf.
set -eu
umask 022
export DEBIAN_FRONTEND=noninteractive
# shellcheck source=/dev/null
. /etc/privaks/agent.conf

log() { echo "privaks-agent-install: $*" >&2; }

# retry N CMD...: run CMD until it succeeds, at most N times, with backoff.
retry() {
	n="$1"
	shift
	i=1
	delay=2
	until "$@"; do
		if [ "$i" -ge "$n" ]; then
			log "giving up after $n attempts: $1"
			return 1
		fi
		log "attempt $i of $n failed: $1; retrying in ${delay}s"
		sleep "$delay"
		i=$((i + 1))
		delay=$((delay * 2))
		if [ "$delay" -gt 60 ]; then delay=60; fi
	done
}

# fetch URL FILE downloads over HTTPS only.
fetch() { curl -fsSL --proto '=https' --tlsv1.2 -o "$2" "$1"; }

# verify FILE SHA256 [SUMURL] checks FILE against the pinned SHA256 or, when
# none is pinned, against the checksum file the vendor publishes at SUMURL.
verify() {
	want="$2"
	if [ -z "$want" ] && [ -n "${3:-}" ]; then
		retry 10 fetch "$3" "$1.sum"
		want="$(awk '{print $1; exit}' "$1.sum")"
	fi
	if [ -z "$want" ]; then
		log "no checksum pinned for $1: relying on HTTPS"
		return 0
	fi
	echo "$want  $1" | sha256sum -c --quiet -
}

# Fingerprint of Microsoft's package signing key (microsoft.asc).
ms_key_fpr=BC528686B50D79E339D3721CEB3E94ADBE1229CF

install_azure_cli() {
	if command -v az >/dev/null 2>&1; then return 0; fi
	# shellcheck source=/dev/null
	codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
	retry 10 fetch https://packages.microsoft.com/keys/microsoft.asc "$tmp/microsoft.asc"
	fpr="$(gpg --show-keys --with-colons "$tmp/microsoft.asc" | awk -F: '$1 == "fpr" {print $10; exit}')"
	if [ "$fpr" != "$ms_key_fpr" ]; then
		log "microsoft.asc has fingerprint $fpr, want $ms_key_fpr"
		return 1
	fi
	install -d -m 0755 /etc/apt/keyrings
	gpg --dearmor <"$tmp/microsoft.asc" >/etc/apt/keyrings/microsoft.gpg
	chmod 0644 /etc/apt/keyrings/microsoft.gpg
	echo "deb [arch=amd64 signed-by=/etc/apt/keyrings/microsoft.gpg] https://packages.microsoft.com/repos/azure-cli/ $codename main" \
		>/etc/apt/sources.list.d/azure-cli.list
	retry 5 apt-get update -q
	retry 5 apt-get install -y -q --no-install-recommends azure-cli
}

install_kubectl() {
	url="https://dl.k8s.io/release/$KUBECTL_VERSION/bin/linux/amd64/kubectl"
	retry 10 fetch "$url" "$tmp/kubectl"
	verify "$tmp/kubectl" "$KUBECTL_SHA256" "$url.sha256"
	install -m 0755 "$tmp/kubectl" /usr/local/bin/kubectl
}

install_kubelogin() {
	url="https://github.com/Azure/kubelogin/releases/download/$KUBELOGIN_VERSION/kubelogin-linux-amd64.zip"
	retry 10 fetch "$url" "$tmp/kubelogin.zip"
	verify "$tmp/kubelogin.zip" "$KUBELOGIN_SHA256" "$url.sha256"
	unzip -q -o "$tmp/kubelogin.zip" -d "$tmp/kubelogin"
	install -m 0755 "$tmp/kubelogin/bin/linux_amd64/kubelogin" /usr/local/bin/kubelogin
}

install_helm() {
	url="https://get.helm.sh/helm-$HELM_VERSION-linux-amd64.tar.gz"
	retry 10 fetch "$url" "$tmp/helm.tar.gz"
	verify "$tmp/helm.tar.gz" "$HELM_SHA256" "$url.sha256sum"
	tar -xzf "$tmp/helm.tar.gz" -C "$tmp" linux-amd64/helm
	install -m 0755 "$tmp/linux-amd64/helm" /usr/local/bin/helm
}

install_agent() {
	if ! id -u "$AGENT_USER" >/dev/null 2>&1; then
		useradd --create-home --shell /bin/bash "$AGENT_USER"
	fi
	dir=/opt/privaks-agent
	if [ -x "$dir/config.sh" ]; then return 0; fi
	case "$KIND" in
	azdo) url="https://download.agent.dev.azure.com/agent/$AGENT_VERSION/vsts-agent-linux-x64-$AGENT_VERSION.tar.gz" ;;
	github) url="https://github.com/actions/runner/releases/download/v$AGENT_VERSION/actions-runner-linux-x64-$AGENT_VERSION.tar.gz" ;;
	*)
		log "unknown agent kind $KIND"
		return 1
		;;
	esac
	retry 10 fetch "$url" "$tmp/agent.tar.gz"
	verify "$tmp/agent.tar.gz" "$AGENT_SHA256" ""
	install -d -m 0750 "$dir"
	tar -xzf "$tmp/agent.tar.gz" -C "$dir"
	chown -R "$AGENT_USER:$AGENT_USER" "$dir"
	"$dir/bin/installdependencies.sh"
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
install_azure_cli
install_kubectl
install_kubelogin
install_helm
install_agent
log "done"
`

// registerScript registers the agent with a secret read from Key Vault.
// It never prints the secret or passes it in a command line.
const registerScript = `#!/bin/sh
# privaks-agent-register: read the registration secret from Key Vault with
# the VM's managed identity and register the CI agent. Runs at boot from
# privaks-agent-register.service until the agent is registered. The secret
# stays in shell variables: curl reads the Authorization header from stdin
# and config.sh reads the token from its environment.
set -eu
umask 077
# shellcheck source=/dev/null
. /etc/privaks/agent.conf
dir=/opt/privaks-agent

log() { echo "privaks-agent-register: $*" >&2; }

if [ -f "$dir/.agent" ] || [ -f "$dir/.runner" ]; then
	log "already registered"
	exit 0
fi

# backoff N sleeps 2^N seconds, at most 60.
backoff() {
	if [ "$1" -ge 6 ]; then sleep 60; else sleep $((1 << $1)); fi
}

# imds_token prints an access token for Key Vault from the instance
# metadata service, for the user-assigned identity if one is configured.
imds_token() {
	q="api-version=2018-02-01&resource=$KEYVAULT_RESOURCE"
	if [ -n "$IDENTITY_CLIENT_ID" ]; then q="$q&client_id=$IDENTITY_CLIENT_ID"; fi
	curl -fsS --max-time 10 --noproxy '*' -H Metadata:true \
		"http://169.254.169.254/metadata/identity/oauth2/token?$q" | jq -er .access_token
}

# bearer TOKEN writes a curl config line with the Authorization header;
# printf is a shell builtin, so TOKEN is in no process's argv.
bearer() { printf 'header = "Authorization: Bearer %s"\n' "$1"; }

# read_secret ACCESS prints the registration secret's value.
read_secret() {
	bearer "$1" | curl -fsS --max-time 20 --proto '=https' -K - \
		"$KEYVAULT_URL/secrets/$TOKEN_SECRET?api-version=7.4" | jq -er .value
}

attempt=0
while :; do
	if access="$(imds_token)" && secret="$(read_secret "$access")"; then
		break
	fi
	attempt=$((attempt + 1))
	log "attempt $attempt: no secret $TOKEN_SECRET from $KEYVAULT_URL yet (identity, DNS, private endpoint or role assignment not ready); retrying"
	backoff "$attempt"
done
unset access
log "read secret $TOKEN_SECRET from $KEYVAULT_URL"

cd "$dir"
case "$KIND" in
azdo)
	VSTS_AGENT_INPUT_TOKEN="$secret"
	export VSTS_AGENT_INPUT_TOKEN
	unset secret
	runuser -u "$AGENT_USER" -- ./config.sh --unattended --url "$ORG_URL" --auth pat \
		--pool "$POOL" --agent "$(hostname)" --replace --acceptTeeEula
	;;
github)
	case "$ORG_URL" in
	https://github.com) api="https://api.github.com" ;;
	*) api="$ORG_URL/api/v3" ;;
	esac
	case "$REPO" in
	*/*) api="$api/repos/$REPO/actions/runners/registration-token" ;;
	*) api="$api/orgs/$REPO/actions/runners/registration-token" ;;
	esac
	attempt=0
	until ACTIONS_RUNNER_INPUT_TOKEN="$(bearer "$secret" | curl -fsS --max-time 20 --proto '=https' -K - \
		-X POST -H 'Accept: application/vnd.github+json' "$api" | jq -er .token)"; do
		attempt=$((attempt + 1))
		log "attempt $attempt: no runner registration token from $api; retrying"
		backoff "$attempt"
	done
	export ACTIONS_RUNNER_INPUT_TOKEN
	unset secret
	set -- --unattended --url "$ORG_URL/$REPO" --name "$(hostname)" --replace
	if [ -n "$LABELS" ]; then set -- "$@" --labels "$LABELS"; fi
	runuser -u "$AGENT_USER" -- ./config.sh "$@"
	;;
*)
	log "unknown agent kind $KIND"
	exit 1
	;;
esac
unset VSTS_AGENT_INPUT_TOKEN ACTIONS_RUNNER_INPUT_TOKEN
./svc.sh install "$AGENT_USER"
./svc.sh start
log "registered and started"
`

// registerUnit runs registerScript at every boot until the agent is
// registered, so a VM that came up before its vault or DNS did registers
// later by itself.
const registerUnit = `[Unit]
Description=Register the privaks CI agent with a token read from Key Vault
Wants=network-online.target
After=network-online.target
ConditionPathExists=/opt/privaks-agent/config.sh
ConditionPathExists=!/opt/privaks-agent/.agent
ConditionPathExists=!/opt/privaks-agent/.runner

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/privaks-agent-register
RemainAfterExit=yes
TimeoutStartSec=infinity
Restart=on-failure
RestartSec=30

[Install]
WantedBy=multi-user.target
`
