#!/bin/sh
# tf-validate.sh: `terraform validate` on the root module `privaks plan
# --format terraform` writes, against real provider binaries.
#
# The providers cannot be downloaded on the project's machines (no registry,
# and the Go module proxy serves no terraform-provider-azurerm), so give them:
#
#   PROVIDER_BIN=/path/to/terraform-provider-azurerm     a built azurerm provider, or
#   PROVIDER_SRC=/path/to/terraform-provider-azurerm     a checkout of it, built here
#                                                        (about 16 minutes; cached by commit)
#   AZAPI_BIN=/path/to/terraform-provider-azapi          likewise for Azure/azapi, which the
#   AZAPI_SRC=/path/to/terraform-provider-azapi          module declares for the types azurerm lacks
#
# Built binaries are cached outside the repository in
# ${PRIVAKS_TF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/privaks/tf-provider}. Terraform
# reads them through dev_overrides in a CLI configuration written there, so
# neither `terraform init` nor the network is needed. SPEC=file validates the
# module of that spec instead of the default design (privaks plan without -f);
# TERRAFORM names the terraform binary (default: terraform on PATH, else
# /usr/local/bin/terraform). AZAPI_NO_SCHEMA=1 turns azapi's embedded schema
# validation off in the validated copy, for an azapi built from a checkout
# that lacks its generated schema index.
#
# Not part of `make test`: run it with `make tf-validate PROVIDER_BIN=… AZAPI_BIN=…`.
set -eu
cd "$(dirname "$0")/.."

die() {
	echo "tf-validate: $*" >&2
	exit 2
}

cache=${PRIVAKS_TF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/privaks/tf-provider}
go=${GO:-go}
tf=${TERRAFORM:-}
if [ -z "$tf" ]; then
	tf=$(command -v terraform 2>/dev/null || true)
	[ -n "$tf" ] || tf=/usr/local/bin/terraform
fi
[ -x "$tf" ] || die "terraform not found (set TERRAFORM=/path/to/terraform; Terraform >= 1.11)"

# provider NAME BIN SRC VAR: prints the directory holding
# terraform-provider-NAME, built from SRC when BIN is not given (VAR_BIN and
# VAR_SRC name them in messages). Returns 1 when neither is given; bad input
# exits 2.
provider() {
	name=$1 bin=$2 src=$3 var=$4
	if [ -n "$bin" ]; then
		if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
			die "${var}_BIN=$bin is not an executable file"
		fi
		dir="$cache/bin-$name"
		mkdir -p "$dir"
		# dev_overrides wants a directory holding terraform-provider-NAME.
		ln -sf "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$dir/terraform-provider-$name"
		echo "$dir"
		return
	fi
	if [ -n "$src" ]; then
		[ -f "$src/go.mod" ] || die "${var}_SRC=$src is not a checkout of the provider (no go.mod)"
		rev=$(git -C "$src" rev-parse --short=12 HEAD 2>/dev/null || echo unversioned)
		dir="$cache/$name-$rev"
		if [ ! -x "$dir/terraform-provider-$name" ] || [ "$rev" = unversioned ]; then
			mkdir -p "$dir"
			echo "tf-validate: building terraform-provider-$name at $rev into $dir (this takes a while)" >&2
			(cd "$src" && CGO_ENABLED=0 $go build -trimpath -o "$dir/terraform-provider-$name" .) ||
				die "building terraform-provider-$name from $src failed"
		fi
		echo "$dir"
		return
	fi
	return 1
}

st=0
azurerm_dir=$(provider azurerm "${PROVIDER_BIN:-}" "${PROVIDER_SRC:-}" PROVIDER) || st=$?
[ "$st" -ne 1 ] || die "no azurerm provider: set PROVIDER_BIN to a built terraform-provider-azurerm, or PROVIDER_SRC to a checkout of github.com/hashicorp/terraform-provider-azurerm (5.x) to build it (cached in $cache)"
[ "$st" -eq 0 ] || exit "$st"
azapi_dir=$(provider azapi "${AZAPI_BIN:-}" "${AZAPI_SRC:-}" AZAPI) || st=$?
[ "$st" -ne 1 ] || die "no azapi provider: set AZAPI_BIN to a built terraform-provider-azapi, or AZAPI_SRC to a checkout of github.com/Azure/terraform-provider-azapi (2.x); the module declares Azure/azapi for the types azurerm lacks"
[ "$st" -eq 0 ] || exit "$st"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
rc="$work/terraformrc"
cat >"$rc" <<EOF
provider_installation {
  dev_overrides {
    "hashicorp/azurerm" = "$azurerm_dir"
    "Azure/azapi"       = "$azapi_dir"
  }
  direct {}
}
EOF

mod="$work/terraform"
if [ -n "${SPEC:-}" ]; then
	$go run ./cmd/privaks plan -f "$SPEC" --format terraform --out "$mod"
else
	$go run ./cmd/privaks plan --format terraform --out "$mod"
fi

echo "tf-validate: terraform fmt -check and validate on $mod" >&2
export TF_CLI_CONFIG_FILE="$rc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
"$tf" -chdir="$mod" fmt -check -recursive
if [ -n "${AZAPI_NO_SCHEMA:-}" ]; then
	# An azapi built from a checkout that lacks its generated schema index
	# (internal/azure/generated/index.json) refuses every type; validate
	# the rest with azapi's own switch, in this copy only (after fmt -check: the
	# inserted line is not aligned).
	echo "tf-validate: AZAPI_NO_SCHEMA set: azapi resources validated without azapi's embedded schema" >&2
	for f in "$mod"/*.tf; do
		sed 's/^\(resource "azapi_resource" "[^"]*" {\)$/\1\n  schema_validation_enabled = false/' "$f" >"$f.new" && mv "$f.new" "$f"
	done
fi

# With every provider overridden, validate needs no `terraform init`.
"$tf" -chdir="$mod" validate
