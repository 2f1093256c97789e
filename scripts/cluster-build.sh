#!/usr/bin/env bash
# Build the local control plane's binaries from Go modules into a cache entry
# outside the repo, keyed by versions and by the wrapper modules' contents:
#   $ELASTICELL_CACHE/toolchain/cluster-<key>/bin/
#     kube-apiserver kube-controller-manager kube-scheduler kubectl  (k8s.io/kubernetes)
#     etcd                                                          (go.etcd.io/etcd/server/v3)
#     kwok                                                          (sigs.k8s.io/kwok/cmd/kwok)
# Pins live in the wrapper modules toolchain/cluster/{k8s,etcd,kwok} (go.mod +
# go.sum, one module per product so their dependency pins never mix).
# Progress goes to stderr; the last line of stdout is the absolute bin dir.
# A complete cache entry is returned at once; two runs at once are safe (flock,
# build into a temp dir, rename when complete).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Bump when the recipe (flags, binary list) changes, to get a new cache entry.
CLUSTER_BUILD_RECIPE=1
MODDIR="$ELASTICELL_ROOT/toolchain/cluster"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)

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
HASH="$( { echo "recipe=$CLUSTER_BUILD_RECIPE go=$GO_VERSION $(go env GOOS GOARCH | tr '\n' ' ')"
           cat "$MODDIR"/{k8s,etcd,kwok}/go.{mod,sum}; } | sha256sum | cut -c1-10)"
KEY="k8s${K8S_VERSION#v}-etcd${ETCD_VERSION#v}-kwok${KWOK_VERSION#v}-$HASH"
ENTRY="$ELASTICELL_CACHE/toolchain/cluster-$KEY"
BIN="$ENTRY/bin"

complete() {
  local b
  for b in "${BINARIES[@]}"; do [ -x "$BIN/$b" ] || return 1; done
}

if complete; then
  log "cluster binaries: cached in $BIN"
  echo "$BIN"
  exit 0
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

build_all() {
  local tmp="$1" t_all; t_all=$(date +%s)
  chmod 755 "$tmp"            # mktemp -d makes it 0700
  mkdir -p "$tmp/bin"
  local times="$tmp/build-times.txt"
  : > "$times"

  local k8s_minor="${K8S_VERSION#v1.}"; k8s_minor="${k8s_minor%%.*}"
  local k8s_date; k8s_date="$(modtime "k8s.io/kubernetes@$K8S_VERSION")"
  local k8s_ld="-s -w" v
  for v in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    k8s_ld+=" -X $v.gitVersion=$K8S_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$k8s_minor"
    k8s_ld+=" -X $v.gitCommit=go-module-$K8S_VERSION -X $v.gitTreeState=clean -X $v.buildDate=$k8s_date"
  done

  timed() { # timed <name> <command...>
    local name="$1" t0; shift; t0=$(date +%s)
    log "building $name ..."
    "$@" || { log "building $name FAILED"; return 1; }
    local s=$(( $(date +%s) - t0 ))
    log "built $name in ${s}s"
    echo "$name ${s}s" >> "$times"
  }

  local b
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    timed "$b $K8S_VERSION" gobuild k8s "$tmp/bin/$b" "k8s.io/kubernetes/cmd/$b" \
      -tags selinux,notest -ldflags "all=$k8s_ld" || return 1
  done
  timed "etcd $ETCD_VERSION" gobuild etcd "$tmp/bin/etcd" go.etcd.io/etcd/server/v3 \
    -ldflags "all=-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=go-module-$ETCD_VERSION" || return 1
  timed "kwok $KWOK_VERSION" gobuild kwok "$tmp/bin/kwok" sigs.k8s.io/kwok/cmd/kwok \
    -ldflags "all=-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" || return 1

  echo "total $(( $(date +%s) - t_all ))s" >> "$times"
  cat > "$tmp/versions.txt" <<EOF
kubernetes $K8S_VERSION
etcd $ETCD_VERSION
kwok $KWOK_VERSION
go $GO_VERSION
recipe $CLUSTER_BUILD_RECIPE
EOF
  log "all cluster binaries built in $(( $(date +%s) - t_all ))s"
}

locked_build() {
  if complete; then                       # another run finished it meanwhile
    log "cluster binaries were built by a concurrent run"
    return 0
  fi
  if [ -d "$ENTRY" ]; then
    log "removing incomplete cache entry $ENTRY"
    rm -rf "$ENTRY"
  fi
  log "building cluster binaries into $ENTRY (k8s $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION, $GO_VERSION); a cold build takes tens of minutes"
  atomic_build "$ENTRY" build_all
}

log "taking the build lock (waits while another run builds the same entry)"
with_lock "$ELASTICELL_CACHE/toolchain/cluster-$KEY.lock" locked_build ||
  die "cluster binaries build failed"
complete || die "cluster binaries missing from $BIN after build"
log "cluster binaries ready in $BIN"
echo "$BIN"
