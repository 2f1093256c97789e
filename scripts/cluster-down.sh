#!/usr/bin/env bash
# npm run cluster:down [-- --purge] -- stop the local cluster that
# scripts/cluster-up.sh created (kwokctl stop cluster: its processes only,
# found by their pid files), keeping its state and logs.
# --purge also deletes the state (kwokctl delete cluster, then the state dir
# .elasticell/cluster/: etcd data, pki, kubeconfig, logs): the next cluster-up
# starts from scratch. Idempotent. Env: see scripts/cluster/config.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$ELASTICELL_ROOT/scripts/cluster/config.sh"

purge=0
for arg in "$@"; do
  case "$arg" in
    --purge) purge=1 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (usage: cluster-down.sh [--purge])" ;;
  esac
done

if [ -d "$CLUSTER_DIR/pids" ] || [ -d "$CLUSTER_DIR/certs" ]; then
  die "$CLUSTER_DIR holds a cluster of the former hand-written scripts (certs/, pids/): stop its processes and remove its state with: kill \$(cat $CLUSTER_DIR/pids/*.pid) && sleep 10 && rm -rf $CLUSTER_DIR"
fi
if [ ! -d "$KWOK_CLUSTER" ]; then
  log "local cluster: nothing to stop (no $KWOK_CLUSTER)"
  if [ "$purge" = 1 ] && [ -d "$CLUSTER_DIR" ]; then
    rm -rf "$CLUSTER_DIR"
    log "purged $CLUSTER_DIR"
  fi
  exit 0
fi

# Stopping needs only kwokctl: never build for it.
BIN="$(bash "$ELASTICELL_ROOT/scripts/cluster-build.sh" --cached 2>/dev/null | tail -n1)" ||
  die "no built kwokctl to stop the cluster in $KWOK_CLUSTER with (run npm run cluster:up once, or stop its processes listed in $KWOK_CLUSTER/pids)"

running="$(kwokctl get components -o wide 2>/dev/null | awk 'NR > 1 && $2 == "Ready"' | wc -l)"
if [ "$purge" = 1 ]; then
  # --kubeconfig: ours (deleted next), else kwokctl edits ~/.kube/config.
  kwokctl delete cluster --kubeconfig "$KUBECONFIG_PATH" 2>&1 | kwokctl_log
  rm -rf "$CLUSTER_DIR"
  log "local cluster stopped ($running processes) and purged $CLUSTER_DIR (etcd data, pki, kubeconfig, logs)"
  exit 0
fi
kwokctl stop cluster 2>&1 | kwokctl_log
still="$(kwokctl get components -o wide | awk 'NR > 1 && $2 == "Ready" { print $1 }' | tr '\n' ' ')"
[ -z "$still" ] || die "still running after kwokctl stop cluster: $still"
if [ "$running" -gt 0 ]; then
  log "local cluster stopped ($running processes); state and logs kept in $KWOK_CLUSTER"
else
  log "local cluster was not running"
fi
