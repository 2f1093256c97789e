#!/usr/bin/env bash
# Build the local control plane's binaries from Go modules into cache entries
# outside the repo, one per wrapper module (toolchain/cluster/{k8s,etcd,kwok}:
# go.mod + go.sum, one module per product so their dependency pins never mix),
# keyed by its version and by that module's contents:
#   $ELASTICELL_CACHE/toolchain/cluster-k8s<v>-<hash>/bin   kube-apiserver kube-controller-manager kube-scheduler kubectl
#   $ELASTICELL_CACHE/toolchain/cluster-etcd<v>-<hash>/bin  etcd
#   $ELASTICELL_CACHE/toolchain/cluster-kwok<v>-<hash>/bin  kwok kwokctl
# and one entry that gathers them (hard links), whose bin dir is the result:
#   $ELASTICELL_CACHE/toolchain/cluster-k8s<v>-etcd<v>-kwok<v>-<hash>/bin
# Changing one module rebuilds only that module's binaries; a binary of an
# older entry that the current pins would build identically is reused
# (scripts/cluster/reuse.sh).
#
# Usage: cluster-build.sh [--cached]
#   --cached  never build: print the bin dir when every binary is cached,
#             else exit 1 (used by cluster-up.sh --check).
# Progress goes to stderr; the last line of stdout is the absolute bin dir.
# Two runs at once are safe (flock, build into a temp dir, rename when done).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$ELASTICELL_ROOT/scripts/cluster/reuse.sh"

CACHED_ONLY=0
case "${1:-}" in
  --cached) CACHED_ONLY=1 ;;
  "") ;;
  *) die "unknown argument: $1 (usage: cluster-build.sh [--cached])" ;;
esac

# Bump a module's recipe when its build (flags, binary list) changes: it gets a
# new cache entry, and entries of another recipe are never reused for it.
K8S_RECIPE=1 ETCD_RECIPE=1 KWOK_RECIPE=2
MODDIR="$ELASTICELL_ROOT/toolchain/cluster"
K8S_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
ETCD_BINS=(etcd)
KWOK_BINS=(kwok kwokctl)

# modver <module dir> <module path>: the version required in a wrapper go.mod.
modver() {
  awk -v m="$2" '$1 == m && $2 ~ /^v/ { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$MODDIR/$1/go.mod"
}

K8S_VERSION="$(modver k8s k8s.io/kubernetes)"
ETCD_VERSION="$(modver etcd go.etcd.io/etcd/server/v3)"
KWOK_VERSION="$(modver kwok sigs.k8s.io/kwok)"
[ -n "$K8S_VERSION" ] && [ -n "$ETCD_VERSION" ] && [ -n "$KWOK_VERSION" ] ||
  die "could not read pinned versions from $MODDIR/*/go.mod"

command -v go >/dev/null || die "go is not on PATH (Go >= 1.26 is needed to build the cluster binaries)"
GO_VERSION="$(go env GOVERSION)"
PLATFORM="$(go env GOOS)/$(go env GOARCH)"

# module_key <module dir> <recipe>: hash of what the module's binaries depend on.
module_key() {
  { echo "recipe=$2 go=$GO_VERSION $PLATFORM"; cat "$MODDIR/$1"/go.{mod,sum}; } | sha256sum | cut -c1-10
}
K8S_ENTRY="$ELASTICELL_CACHE/toolchain/cluster-k8s${K8S_VERSION#v}-$(module_key k8s "$K8S_RECIPE")"
ETCD_ENTRY="$ELASTICELL_CACHE/toolchain/cluster-etcd${ETCD_VERSION#v}-$(module_key etcd "$ETCD_RECIPE")"
KWOK_ENTRY="$ELASTICELL_CACHE/toolchain/cluster-kwok${KWOK_VERSION#v}-$(module_key kwok "$KWOK_RECIPE")"
ALL_HASH="$(printf '%s\n' "$K8S_ENTRY" "$ETCD_ENTRY" "$KWOK_ENTRY" | sha256sum | cut -c1-10)"
ENTRY="$ELASTICELL_CACHE/toolchain/cluster-k8s${K8S_VERSION#v}-etcd${ETCD_VERSION#v}-kwok${KWOK_VERSION#v}-$ALL_HASH"
BIN="$ENTRY/bin"

# complete <bin dir> <binary...>
complete() {
  local dir="$1" b; shift
  for b in "$@"; do [ -x "$dir/$b" ] || return 1; done
}
all_complete() { complete "$BIN" "${K8S_BINS[@]}" "${ETCD_BINS[@]}" "${KWOK_BINS[@]}"; }

if all_complete; then
  log "cluster binaries: cached in $BIN"
  echo "$BIN"
  exit 0
fi
if [ "$CACHED_ONLY" = 1 ]; then
  log "cluster binaries are not built yet ($BIN); npm run setup or npm run cluster:up builds them"
  exit 1
fi

# modtime <module@version>: commit time of a module version, from the module
# cache's .info (used as the reproducible build date stamp).
modtime() {
  local info
  info="$(cd "$MODDIR/k8s" && go mod download -json "$1" | sed -n 's/.*"Info": *"\([^"]*\)".*/\1/p')"
  sed -n 's/.*"Time": *"\([^"]*\)".*/\1/p' "$info"
}

# gobuild <module dir> <out> <pkg> [go build flags...]
gobuild() {
  local dir="$1" out="$2" pkg="$3"; shift 3
  ( cd "$MODDIR/$dir" &&
    CGO_ENABLED=0 go build -mod=readonly -trimpath -pgo=off "$@" -o "$out" "$pkg" )
}

# timed <times file> <name> <command...>: run a build step, log and record its time.
timed() {
  local times="$1" name="$2" t0 s; shift 2; t0=$(date +%s)
  log "building $name ..."
  "$@" || { log "building $name FAILED"; return 1; }
  s=$(( $(date +%s) - t0 ))
  log "built $name in ${s}s"
  echo "$name ${s}s" >> "$times"
}

# stamp <entry dir> <product> <version> <recipe>: versions.txt of an entry.
stamp() {
  printf '%s %s\ngo %s\nrecipe %s\n' "$2" "$3" "$GO_VERSION" "$4" > "$1/versions.txt"
}

build_k8s() {
  local tmp="$1" k8s_minor k8s_date k8s_ld="-s -w" v b
  mkdir -p "$tmp/bin"; : > "$tmp/build-times.txt"
  stamp "$tmp" kubernetes "$K8S_VERSION" "$K8S_RECIPE"
  reuse_binaries "$MODDIR/k8s" "$K8S_RECIPE" "selinux,notest" "k8s.io/kubernetes/cmd/%s" "$tmp/bin" "${K8S_BINS[@]}" && return 0
  k8s_minor="${K8S_VERSION#v1.}"; k8s_minor="${k8s_minor%%.*}"
  k8s_date="$(modtime "k8s.io/kubernetes@$K8S_VERSION")"
  for v in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    k8s_ld+=" -X $v.gitVersion=$K8S_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$k8s_minor"
    k8s_ld+=" -X $v.gitCommit=go-module-$K8S_VERSION -X $v.gitTreeState=clean -X $v.buildDate=$k8s_date"
  done
  for b in "${K8S_BINS[@]}"; do
    timed "$tmp/build-times.txt" "$b $K8S_VERSION" gobuild k8s "$tmp/bin/$b" "k8s.io/kubernetes/cmd/$b" \
      -tags selinux,notest -ldflags "all=$k8s_ld" || return 1
  done
}

build_etcd() {
  local tmp="$1"
  mkdir -p "$tmp/bin"; : > "$tmp/build-times.txt"
  stamp "$tmp" etcd "$ETCD_VERSION" "$ETCD_RECIPE"
  reuse_binaries "$MODDIR/etcd" "$ETCD_RECIPE" "" go.etcd.io/etcd/server/v3 "$tmp/bin" "${ETCD_BINS[@]}" && return 0
  timed "$tmp/build-times.txt" "etcd $ETCD_VERSION" gobuild etcd "$tmp/bin/etcd" go.etcd.io/etcd/server/v3 \
    -ldflags "all=-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=go-module-$ETCD_VERSION"
}

# kwok (fake kubelet of the fake nodes) and kwokctl (creates and deletes the
# cluster from our binaries: scripts/cluster-up.sh) come from one module.
build_kwok() {
  local tmp="$1" b ld="all=-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}"
  mkdir -p "$tmp/bin"; : > "$tmp/build-times.txt"
  stamp "$tmp" kwok "$KWOK_VERSION" "$KWOK_RECIPE"
  reuse_binaries "$MODDIR/kwok" "$KWOK_RECIPE" "" "sigs.k8s.io/kwok/cmd/%s" "$tmp/bin" "${KWOK_BINS[@]}" && return 0
  for b in "${KWOK_BINS[@]}"; do
    timed "$tmp/build-times.txt" "$b $KWOK_VERSION" gobuild kwok "$tmp/bin/$b" "sigs.k8s.io/kwok/cmd/$b" \
      -ldflags "$ld" || return 1
  done
}

# gather <tmp>: the result entry, hard links to the three module entries.
gather() {
  local tmp="$1" src b
  mkdir -p "$tmp/bin"
  for src in "$K8S_ENTRY" "$ETCD_ENTRY" "$KWOK_ENTRY"; do
    for b in "$src"/bin/*; do ln -f "$b" "$tmp/bin/" 2>/dev/null || cp -p "$b" "$tmp/bin/"; done
    cat "$src/versions.txt" "$src/build-times.txt" >> "$tmp/versions.txt"
  done
}

# module_entry <entry> <builder> <binary...>: build one module's entry unless complete.
module_entry() {
  local entry="$1" builder="$2"; shift 2
  complete "$entry/bin" "$@" && return 0
  [ -d "$entry" ] && { log "removing incomplete cache entry $entry"; rm -rf "$entry"; }
  log "building into $entry"
  atomic_build "$entry" "$builder"
}

locked_build() {
  local t0; t0=$(date +%s)
  if all_complete; then                     # another run finished it meanwhile
    log "cluster binaries were built by a concurrent run"
    return 0
  fi
  log "cluster binaries: k8s $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION ($GO_VERSION); a cold build of the k8s binaries takes about 15 minutes"
  module_entry "$K8S_ENTRY" build_k8s "${K8S_BINS[@]}" || return 1
  module_entry "$ETCD_ENTRY" build_etcd "${ETCD_BINS[@]}" || return 1
  module_entry "$KWOK_ENTRY" build_kwok "${KWOK_BINS[@]}" || return 1
  [ -d "$ENTRY" ] && rm -rf "$ENTRY"
  atomic_build "$ENTRY" gather || return 1
  log "cluster binaries ready in $(( $(date +%s) - t0 ))s"
}

log "taking the build lock (waits while another run builds the same entries)"
with_lock "$ELASTICELL_CACHE/toolchain/cluster-build.lock" locked_build ||
  die "cluster binaries build failed"
all_complete || die "cluster binaries missing from $BIN after build"
log "cluster binaries ready in $BIN"
echo "$BIN"
