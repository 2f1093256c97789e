#!/usr/bin/env bash
# npm run cluster:up [-- --check] -- start (or check) the local Kubernetes
# cluster: etcd + kube-apiserver + kube-controller-manager + kube-scheduler on
# loopback, with kwok playing the kubelet of 3 fake nodes (pods get scheduled,
# become Running/Ready; no container ever runs). kwokctl (--runtime binary)
# creates it from the binaries of scripts/cluster-build.sh: it generates the
# PKI and the kubeconfig and supervises the processes. Ours are the
# configuration (cluster/kwokctl.yaml), the Stages (cluster/kwok/) and the
# cluster's objects (cluster/manifests/: nodes in three zones, storage).
#
# Idempotent: a healthy cluster is left alone; a stopped or crashed component
# is started again with the state it had (kwokctl keeps it in
# .elasticell/cluster/kwok/clusters/elasticell: etcd data, pki, logs, pids).
# The admin kubeconfig is .elasticell/cluster/kubeconfig, context
# elasticell-local (printed at the end, as the last line of stdout). Stop
# with scripts/cluster-down.sh [--purge].
#
# --check only reports (exit status 0 when the cluster is up and healthy, and
# the kubeconfig path on stdout); it never builds nor starts anything.
# Env: see scripts/cluster/config.sh (state dir, ports, PV count, timeout).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$ELASTICELL_ROOT/scripts/cluster/config.sh"
source "$ELASTICELL_ROOT/scripts/cluster/objects.sh"

CHECK_ONLY=0
case "${1:-}" in
  --check) CHECK_ONLY=1 ;;
  "") ;;
  -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument: $1 (usage: cluster-up.sh [--check])" ;;
esac
T0=$(date +%s)

# healthy: every component runs, the API server is ready, the nodes are Ready.
healthy() {
  [ -s "$KUBECONFIG_PATH" ] && [ -z "$(components_down 2>/dev/null || echo none)" ] &&
    kc get --raw /readyz 2>/dev/null | grep -qx ok && nodes_ready 2>/dev/null
}

# port_busy <port>: something accepts connections on 127.0.0.1:<port>.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# check_ports: before a cluster is created, every port it will take is free.
check_ports() {
  local v port
  for v in APISERVER_PORT:$API_PORT ETCD_PORT:$ETCD_PORT ETCD_PEER_PORT:$ETCD_PEER_PORT \
           KCM_PORT:$KCM_PORT SCHED_PORT:$SCHED_PORT KWOK_PORT:$KWOK_PORT; do
    port="${v#*:}"
    port_busy "$port" && die "127.0.0.1:$port is in use by another program (set ELASTICELL_${v%%:*})"
  done
  return 0
}

# drop_stale_pids: remove a pid file whose process is gone or is not that
# component (after a reboot its pid may belong to another program, and
# kwokctl, which only checks that the pid is alive, would not start it).
drop_stale_pids() {
  local pf pid exe
  for pf in "$KWOK_CLUSTER"/pids/*.pid; do
    [ -e "$pf" ] || continue
    pid="$(cat "$pf")"
    exe="$(tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | head -n1)" || exe=""
    [ "${exe##*/}" = "$(basename "$pf" .pid)" ] || rm -f "$pf"
  done
}

# write_kubeconfig: kwokctl's admin kubeconfig with the credentials embedded
# (it can be copied elsewhere), its context renamed to elasticell-local.
write_kubeconfig() {
  local tmp="$KUBECONFIG_PATH.tmp"
  ( umask 077; kwokctl get kubeconfig > "$tmp" )
  "$BIN/kubectl" --kubeconfig "$tmp" config rename-context "kwok-$CLUSTER_NAME" "$CLUSTER_CONTEXT" >/dev/null
  mv "$tmp" "$KUBECONFIG_PATH"
}

# A cluster of the former hand-written scripts (certs/, pids/ in the state
# dir): left alone while it answers, so nothing breaks before it is replaced.
if [ -d "$CLUSTER_DIR/pids" ] || [ -d "$CLUSTER_DIR/certs" ]; then
  how="stop its processes and remove its state: kill \$(cat $CLUSTER_DIR/pids/*.pid) && sleep 10 && rm -rf $CLUSTER_DIR"
  if BIN="$(bash "$ELASTICELL_ROOT/scripts/cluster-build.sh" --cached 2>/dev/null | tail -n1)" &&
    kc get --raw /readyz 2>/dev/null | grep -qx ok; then
    log "a cluster of the former hand-written scripts runs here ($API_URL): left alone; to move to kwokctl, $how, then npm run cluster:up"
    echo "$KUBECONFIG_PATH"
    exit 0
  fi
  [ "$CHECK_ONLY" = 1 ] && { log "local cluster is not running (start it with npm run cluster:up)"; exit 1; }
  die "$CLUSTER_DIR holds a cluster of the former hand-written scripts (certs/, pids/), not answering: $how"
fi

if [ "$CHECK_ONLY" = 1 ]; then
  if BIN="$(bash "$ELASTICELL_ROOT/scripts/cluster-build.sh" --cached 2>/dev/null | tail -n1)" && healthy; then
    log "local cluster healthy ($API_URL)"
    echo "$KUBECONFIG_PATH"
    exit 0
  fi
  log "local cluster is not running (start it with npm run cluster:up)"
  exit 1
fi

BIN="$(bash "$ELASTICELL_ROOT/scripts/cluster-build.sh" | tail -n1)"
[ -x "$BIN/kwokctl" ] || die "cluster-build.sh did not return a bin dir with kwokctl"

if healthy; then
  log "local cluster already healthy ($API_URL)"
  echo "$KUBECONFIG_PATH"
  exit 0
fi

mkdir -p "$CLUSTER_DIR"
if [ -d "$KWOK_CLUSTER" ]; then
  drop_stale_pids
  log "starting the local cluster's stopped components (state $KWOK_CLUSTER)"
else
  check_ports
  log "creating the local cluster with kwokctl (state $KWOK_CLUSTER)"
fi
render_config "$CLUSTER_DIR/kwokctl.yaml" "$("$BIN/kube-apiserver" --version | awk '{print $2}')"
stages=()
for s in "$ELASTICELL_ROOT"/cluster/kwok/*.yaml; do stages+=(-c "$s"); done
# --kubeconfig "": kwokctl would otherwise add its context to ~/.kube/config.
if ! kwokctl -c "$CLUSTER_DIR/kwokctl.yaml" "${stages[@]}" create cluster \
    --kubeconfig "" --timeout "${TIMEOUT}s" --wait "${TIMEOUT}s" 2>&1 | kwokctl_log; then
  [ -d "$KWOK_CLUSTER" ] && check_components
  die "kwokctl create cluster failed (see the messages above and $CLUSTER_LOGS)"
fi
check_components
write_kubeconfig
cluster_objects

log "local cluster healthy in $(( $(date +%s) - T0 ))s: $API_URL (k8s $("$BIN/kube-apiserver" --version | awk '{print $2}'), kwokctl $("$BIN/kwokctl" --version | awk '{print $3}')); logs in $CLUSTER_LOGS"
log "use: export KUBECONFIG=$KUBECONFIG_PATH"
echo "$KUBECONFIG_PATH"
