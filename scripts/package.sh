#!/usr/bin/env bash
# Packs a provider binary the way registries and provider mirrors expect it:
#
#   package.sh BINARY VERSION OUT_DIR [PLATFORM]
#
# writes into OUT_DIR
#   terraform-provider-modelarts_VERSION_PLATFORM.zip    the binary as terraform-provider-modelarts_vVERSION
#   terraform-provider-modelarts_VERSION_manifest.json   {"version":1,"metadata":{"protocol_versions":["5.0"]}}
#   terraform-provider-modelarts_VERSION_SHA256SUMS      sha256 of the zip and the manifest (`sha256sum -c` format)
#   mirror/terraform.local/local/modelarts/<the zip>     a packed-layout filesystem mirror, ready for
#                                                        `provider_installation { filesystem_mirror { ... } }`
# The zip is reproducible (fixed timestamps and modes): the same binary always gives the same SHA256SUMS.
set -euo pipefail

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
    echo "usage: $0 BINARY VERSION OUT_DIR [PLATFORM]" >&2
    exit 2
fi
binary="$1"
version="$2"
out="$3"
platform="${4:-linux_$(uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')}"
name="terraform-provider-modelarts"
source_address="terraform.local/local/modelarts"

[ -f "$binary" ] || { echo "$0: no provider binary at $binary" >&2; exit 1; }
case "$version" in
[0-9]*.[0-9]*.[0-9]*) ;;
*) echo "$0: version must be semantic (X.Y.Z), got '$version'" >&2; exit 1 ;;
esac

mkdir -p "$out"
zip_name="${name}_${version}_${platform}.zip"
manifest_name="${name}_${version}_manifest.json"
sums_name="${name}_${version}_SHA256SUMS"

python3 - "$binary" "$out/$zip_name" "${name}_v${version}" <<'PY'
import sys, zipfile
binary, target, member = sys.argv[1:4]
info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = (0o100755 << 16)  # a regular, executable file once unpacked
info.compress_type = zipfile.ZIP_DEFLATED
with open(binary, "rb") as f, zipfile.ZipFile(target, "w") as z:
    z.writestr(info, f.read(), compresslevel=6)
PY

printf '{"version":1,"metadata":{"protocol_versions":["5.0"]}}\n' >"$out/$manifest_name"

(cd "$out" && sha256sum "$zip_name" "$manifest_name" >"$sums_name")

mirror="$out/mirror/$source_address"
mkdir -p "$mirror"
cp "$out/$zip_name" "$mirror/$zip_name"

echo "Packed $source_address $version ($platform) into $out:"
(cd "$out" && ls -1 "$zip_name" "$manifest_name" "$sums_name")
echo
echo "To install it with Terraform, point a CLI configuration file (TF_CLI_CONFIG_FILE) at the mirror:"
echo
cat <<CONFIG
provider_installation {
  filesystem_mirror {
    path    = "$(cd "$out/mirror" && pwd)"
    include = ["$source_address"]
  }
  direct {
    exclude = ["$source_address"]
  }
}
CONFIG
