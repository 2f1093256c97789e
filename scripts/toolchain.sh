#!/usr/bin/env bash
# Provides the Pulumi toolchain and prints its bin directory (last line).
#
# Looks for an existing install first, and builds nothing when it finds one:
#   pulumi                      on PATH, else ~/.pulumi/bin (where Pulumi's installer puts it)
#   pulumi-language-nodejs      next to that `pulumi` (a normal install), else on PATH
#   pulumi-resource-kubernetes  on PATH, else the plugin Pulumi installed itself:
#     ${PULUMI_HOME:-~/.pulumi}/plugins/resource-kubernetes-v<KUBERNETES_PROVIDER_VERSION>/
# When the three are not in one directory, it links them into one
# ($ELASTICELL_CACHE/toolchain/found-<hash>/bin) so callers put one dir on PATH.
# Otherwise builds the pinned versions of toolchain/versions.env from Go
# modules into $ELASTICELL_CACHE/toolchain/<key>/bin (default ~/.cache/elasticell)
# keyed by the versions and the wrapper sources, built in a temp dir and
# renamed when complete, under a lock (two runs at once are safe).
# ELASTICELL_TOOLCHAIN=build forces the cached build even if an install exists.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ELASTICELL_ROOT/toolchain/versions.env"

tools=(pulumi pulumi-language-nodejs pulumi-resource-kubernetes)
pulumi_home="${PULUMI_HOME:-$HOME/.pulumi}"

# executable <path>: prints the path when it is an executable file.
executable() { [ -f "$1" ] && [ -x "$1" ] && echo "$1"; }

# find_tool <name>: where an existing install keeps it, or nothing.
find_tool() {
  case "$1" in
    pulumi)
      command -v pulumi 2>/dev/null || executable "$pulumi_home/bin/pulumi" ;;
    pulumi-language-nodejs)
      local cli; cli="$(find_tool pulumi)" || return 1
      executable "$(dirname "$cli")/pulumi-language-nodejs" || command -v pulumi-language-nodejs 2>/dev/null ;;
    pulumi-resource-kubernetes)
      command -v pulumi-resource-kubernetes 2>/dev/null ||
        executable "$pulumi_home/plugins/resource-kubernetes-v${KUBERNETES_PROVIDER_VERSION}/pulumi-resource-kubernetes" ;;
    *) return 1 ;;
  esac || return 1
}

# ambient_bin: one directory holding the three tools of an existing install.
ambient_bin() {
  local t path dir="" same=1 paths=()
  for t in "${tools[@]}"; do
    path="$(find_tool "$t")" || return 1
    paths+=("$path")
    [ -z "$dir" ] && dir="$(dirname "$path")"
    [ "$(dirname "$path")" = "$dir" ] || same=0
  done
  if [ "$same" = 1 ]; then
    log "using the Pulumi toolchain installed in $dir"
    echo "$dir"
    return 0
  fi
  # Different places (e.g. the provider from Pulumi's plugin dir): link them into one dir.
  local linked
  linked="$ELASTICELL_CACHE/toolchain/found-$(printf '%s\n' "${paths[@]}" | sha256sum | cut -c1-12)"
  if [ ! -d "$linked/bin" ]; then
    mkdir -p "$ELASTICELL_CACHE/toolchain"
    local tmp; tmp="$(mktemp -d "$linked.partial.XXXXXX")"
    mkdir "$tmp/bin"
    for path in "${paths[@]}"; do ln -s "$path" "$tmp/bin/$(basename "$path")"; done
    mv "$tmp" "$linked" 2>/dev/null || rm -rf "$tmp"   # a concurrent run may have made it
  fi
  for path in "${paths[@]}"; do log "using the installed $(basename "$path"): $path"; done
  echo "$linked/bin"
}

if [ "${ELASTICELL_TOOLCHAIN:-}" != "build" ] && dir="$(ambient_bin)"; then
  echo "$dir"
  exit 0
fi
# explain_build: says why it builds (which tool no install provides).
explain_build() {
  local t
  if [ "${ELASTICELL_TOOLCHAIN:-}" = "build" ]; then
    log "ELASTICELL_TOOLCHAIN=build: building the pinned toolchain even if one is installed"
    return 0
  fi
  for t in "${tools[@]}"; do
    find_tool "$t" >/dev/null && continue
    case "$t" in
      pulumi) log "no installed pulumi (looked on PATH and in $pulumi_home/bin)" ;;
      pulumi-language-nodejs) log "no installed pulumi-language-nodejs (looked next to pulumi and on PATH)" ;;
      *) log "no installed $t (looked on PATH and in $pulumi_home/plugins/resource-kubernetes-v${KUBERNETES_PROVIDER_VERSION}/)" ;;
    esac
  done
}

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
  explain_build
  command -v go >/dev/null || die "Go (>= 1.26) is needed to build the Pulumi toolchain; or install Pulumi (pulumi and pulumi-language-nodejs on PATH or in $pulumi_home/bin) and its Kubernetes provider (pulumi plugin install resource kubernetes v${KUBERNETES_PROVIDER_VERSION})"
  with_lock "$final.lock" atomic_build "$final" build_all
  log "toolchain ready in $(elapsed)"
fi
for t in "${tools[@]}"; do
  [ -x "$final/bin/$t" ] || die "toolchain in $final is missing $t: remove that directory and run npm run toolchain again"
done
echo "$final/bin"
