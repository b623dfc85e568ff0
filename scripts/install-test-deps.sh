#!/bin/sh
# install-test-deps.sh installs the Debian packages that privaks' tests run:
# named (bind9) and dig (bind9-dnsutils) for internal/bind/bindtest,
# cloud-init for `cloud-init schema`, shellcheck for the scripts that
# internal/cloudinit writes, and chromium for internal/report's browser
# tests (headless, driven over the DevTools protocol). It is idempotent and silent when everything is
# already installed; it runs `apt-get update` at most once.
set -eu

missing=""
command -v named >/dev/null 2>&1 || missing="$missing bind9"
command -v dig >/dev/null 2>&1 || missing="$missing bind9-dnsutils"
command -v cloud-init >/dev/null 2>&1 || missing="$missing cloud-init"
command -v shellcheck >/dev/null 2>&1 || missing="$missing shellcheck"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "install-test-deps: need root (or sudo) to install:$missing" >&2
		exit 1
	fi
else
	SUDO=""
fi

echo "install-test-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # $missing is a word list of package names.
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
