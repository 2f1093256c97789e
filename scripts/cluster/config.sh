# Settings of the local cluster, shared by scripts/cluster-up.sh,
# scripts/cluster-down.sh and cluster/selftest/run.sh. Sourced after
# scripts/lib/common.sh; do not run it.
#
# Env (defaults in brackets): ELASTICELL_CLUSTER_DIR [.elasticell/cluster]
# (state: kwokctl's workdir, the kubeconfig), ELASTICELL_APISERVER_PORT [6443],
# ELASTICELL_ETCD_PORT [23790], ELASTICELL_ETCD_PEER_PORT [23800],
# ELASTICELL_KCM_PORT [10357], ELASTICELL_SCHED_PORT [10359],
# ELASTICELL_KWOK_PORT [10347], ELASTICELL_CLUSTER_PVS [90],
# ELASTICELL_CLUSTER_TIMEOUT [seconds per wait, 180]. A second cluster beside
# the usual one needs another ELASTICELL_CLUSTER_DIR and other ports.

CLUSTER_DIR="${ELASTICELL_CLUSTER_DIR:-$ELASTICELL_ROOT/.elasticell/cluster}"
KUBECONFIG_PATH="$CLUSTER_DIR/kubeconfig"
# kwokctl's cluster name (its workdir is $KWOK_WORKDIR/clusters/<name>, its
# kubeconfig entries kwok-<name>); our kubeconfig's context keeps the name
# that the README and the stacks use.
CLUSTER_NAME=elasticell
CLUSTER_CONTEXT=elasticell-local
export KWOK_WORKDIR="$CLUSTER_DIR/kwok"
KWOK_CLUSTER="$KWOK_WORKDIR/clusters/$CLUSTER_NAME"
CLUSTER_LOGS="$KWOK_CLUSTER/logs"

API_PORT="${ELASTICELL_APISERVER_PORT:-6443}"
ETCD_PORT="${ELASTICELL_ETCD_PORT:-23790}"          # not 2379: test/e2e/drain.test.ts serves a PD double there
ETCD_PEER_PORT="${ELASTICELL_ETCD_PEER_PORT:-23800}"
KCM_PORT="${ELASTICELL_KCM_PORT:-10357}"            # loopback health ports, not the defaults
SCHED_PORT="${ELASTICELL_SCHED_PORT:-10359}"
KWOK_PORT="${ELASTICELL_KWOK_PORT:-10347}"
PV_COUNT="${ELASTICELL_CLUSTER_PVS:-90}"
TIMEOUT="${ELASTICELL_CLUSTER_TIMEOUT:-180}"
API_URL="https://127.0.0.1:$API_PORT"

# render_config <out> <k8s version>: cluster/kwokctl.yaml with its @NAME@
# placeholders filled in (ports, $BIN, kwokctl's pki dir).
render_config() {
  local t k
  t="$(<"$ELASTICELL_ROOT/cluster/kwokctl.yaml")"
  for k in API_PORT ETCD_PORT ETCD_PEER_PORT KCM_PORT SCHED_PORT KWOK_PORT BIN; do
    t="${t//@$k@/${!k}}"
  done
  t="${t//@K8S_VERSION@/$2}"
  t="${t//@PKI@/$KWOK_CLUSTER/pki}"
  printf '%s\n' "$t" > "$1"
}

# kwokctl <args...>: kwokctl on our cluster, with $BIN (set by the caller to
# scripts/cluster-build.sh's bin dir) first on PATH: kwokctl runs `kubectl`
# from PATH for its readiness checks.
kwokctl() { PATH="$BIN:$PATH" "$BIN/kwokctl" --name "$CLUSTER_NAME" "$@"; }

# kwokctl_log: kwokctl's JSON log lines (it logs JSON when stderr is not a
# terminal) as "  [kwokctl] LEVEL message error", other lines as they are.
kwokctl_log() {
  sed -u -E 's/^\{.*"level":"([A-Z]+)".*"msg":"([^"]*)"(.*"err":"([^"]*)")?.*$/\1 \2 \4/; s/^/  [kwokctl] /' >&2
}

# kc <kubectl args...>: kubectl on our cluster.
kc() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }

# components_down: names of kwokctl's components that are not running (none
# printed when all run; exit status 1 when kwokctl knows no such cluster).
components_down() {
  local out
  out="$(kwokctl get components -o wide 2>/dev/null)" || return 1
  awk 'NR > 1 && $2 != "Ready" { print $1 }' <<<"$out"
}
