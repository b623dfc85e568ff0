#!/bin/sh
# refresh-arm-schemas.sh copies the subset of the official ARM template
# schemas that privaks' tests read (testdata/arm-schemas/FILES: the resource
# providers and API versions privaks writes or models, the deployment
# template envelope and common/definitions.json) from a checkout of
# Azure/azure-resource-manager-schemas (MIT), and records its commit.
#
#   scripts/refresh-arm-schemas.sh /path/to/azure-resource-manager-schemas
#
# Add a line to FILES when privaks writes a new type or API version, then run
# it again. Files are copied byte for byte.
set -eu
src=${1:?usage: $0 <azure-resource-manager-schemas checkout>}
here=$(cd "$(dirname "$0")/.." && pwd)
dst="$here/testdata/arm-schemas"
[ -d "$src/schemas" ] && schemas="$src/schemas" || schemas="$src"
commit=$(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)
while IFS= read -r rel; do
	case "$rel" in ''|'#'*) continue ;; esac
	mkdir -p "$dst/$(dirname "$rel")"
	cp "$schemas/$rel" "$dst/$rel"
done <"$dst/FILES"
printf '%s\n' "$commit" >"$dst/COMMIT"
echo "refresh-arm-schemas: $(grep -cv '^#' "$dst/FILES") files from commit $commit"
