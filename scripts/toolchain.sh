#!/usr/bin/env bash
# Provides the Pulumi toolchain and prints its bin directory (last line).
#
# Uses `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-kubernetes`
# from PATH when all three are there (a normal install). Otherwise builds the
# pinned versions of toolchain/versions.env from Go modules into
#   $ELASTICELL_CACHE/toolchain/<key>/bin   (default ~/.cache/elasticell)
# keyed by the versions and the wrapper sources, built in a temp dir and
# renamed when complete, under a lock (two runs at once are safe).
# ELASTICELL_TOOLCHAIN=build forces the cached build even if PATH has one.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ELASTICELL_ROOT/toolchain/versions.env"

tools=(pulumi pulumi-language-nodejs pulumi-resource-kubernetes)

ambient_bin() {
  local t dir=""
  for t in "${tools[@]}"; do
    command -v "$t" >/dev/null 2>&1 || return 1
  done
  dir="$(dirname "$(command -v pulumi)")"
  echo "$dir"
}

if [ "${ELASTICELL_TOOLCHAIN:-}" != "build" ] && dir="$(ambient_bin)"; then
  log "using the Pulumi toolchain on PATH ($dir)"
  echo "$dir"
  exit 0
fi

command -v go >/dev/null || die "Go is needed to build the Pulumi toolchain (Go >= 1.26); install Go or put pulumi, pulumi-language-nodejs and pulumi-resource-kubernetes on PATH"

sources_hash="$(cd "$ELASTICELL_ROOT/toolchain" && cat versions.env pulumi/go.mod pulumi/go.sum pulumi/cmd/*/*.go kubernetes/go.mod kubernetes/go.sum kubernetes/cmd/*/*.go | sha256sum | cut -c1-12)"
key="pulumi-${PULUMI_VERSION}-kubernetes-${KUBERNETES_PROVIDER_VERSION}-${sources_hash}"
final="$ELASTICELL_CACHE/toolchain/$key"

build_pulumi() {
  local out="$1/bin"
  mkdir -p "$out"
  cd "$ELASTICELL_ROOT/toolchain/pulumi"
  run_step "building pulumi v${PULUMI_VERSION} (CLI; cold: ~10 min on 2 cores)" \
    env CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}" \
    -o "$out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  run_step "building pulumi-language-nodejs (this project's host, see toolchain/pulumi)" \
    env CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${PULUMI_VERSION}" \
    -o "$out/pulumi-language-nodejs" ./cmd/pulumi-language-nodejs
}

build_provider() {
  local out="$1/bin" work="$1/src"
  mkdir -p "$out" "$work"
  cp -r "$ELASTICELL_ROOT/toolchain/kubernetes/." "$work/"
  cd "$work"
  run_step "downloading ${KUBERNETES_PROVIDER_MODULE}" go mod download "$KUBERNETES_PROVIDER_MODULE"
  local moddir
  moddir="$(go list -m -f '{{.Dir}}' "${KUBERNETES_PROVIDER_MODULE%@*}")"
  # What the upstream `go generate` step does: stamp the schema's version.
  node -e '
    const fs = require("fs");
    const [src, dst, version] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(`${src}/schema.json`, "utf8"));
    schema.version = version;
    fs.writeFileSync(`${dst}/schema-embed.json`, JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(`${src}/terraform-mapping.json`, "utf8"));
    fs.writeFileSync(`${dst}/terraform-mapping-embed.json`, JSON.stringify(mapping));
  ' "$moddir/cmd/pulumi-resource-kubernetes" "$work/cmd/pulumi-resource-kubernetes" "$KUBERNETES_PROVIDER_VERSION"
  run_step "building pulumi-resource-kubernetes v${KUBERNETES_PROVIDER_VERSION} (cold: ~10 min on 2 cores)" \
    env CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=v${KUBERNETES_PROVIDER_VERSION}" \
    -o "$out/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes
  rm -rf "$work"
}

build_all() {
  local tmp="$1"
  log "building the Pulumi toolchain into $final (first run only; later runs reuse it)"
  (build_pulumi "$tmp") && (build_provider "$tmp")
}

if [ ! -x "$final/bin/pulumi" ]; then
  with_lock "$final.lock" atomic_build "$final" build_all
  log "toolchain ready in $(elapsed)"
fi
for t in "${tools[@]}"; do
  [ -x "$final/bin/$t" ] || die "toolchain in $final is missing $t: remove that directory and run npm run toolchain again"
done
echo "$final/bin"
