#!/usr/bin/env bash
# npm run cluster:down [-- --purge] -- stop the local control plane that
# scripts/cluster-up.sh started (only the processes in its pid files, each a
# process group of its own), wait for them to exit, keep the logs.
# --purge also deletes the state dir .elasticell/cluster/ (etcd data, certs,
# kubeconfig, logs): the next cluster-up starts from scratch. Idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

STATE="$ELASTICELL_ROOT/.elasticell/cluster"
PIDS="$STATE/pids"
# Reverse start order: kwok and the controllers first, etcd last.
COMPONENTS=(kwok kube-scheduler kube-controller-manager kube-apiserver etcd)

purge=0
for arg in "$@"; do
  case "$arg" in
    --purge) purge=1 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (usage: cluster-down.sh [--purge])" ;;
  esac
done

# ours <name> <pid>: the pid is alive and runs the component's binary (a pid
# file can outlive its process, and pids get reused).
ours() {
  local exe
  [ -r "/proc/$2/cmdline" ] || return 1
  exe="$(tr '\0' '\n' < "/proc/$2/cmdline" | head -n1)"
  [ "${exe##*/}" = "$1" ]
}

stop() {
  local name="$1" pf="$PIDS/$1.pid" pid i
  [ -s "$pf" ] || return 0
  pid="$(cat "$pf")"
  if ! ours "$name" "$pid"; then
    rm -f "$pf"
    return 0
  fi
  # Grace before SIGKILL. etcd gets time to close its database cleanly.
  # kube-apiserver keeps draining its own loopback watches for up to its
  # request timeout (60 s) after SIGTERM; it holds no state of its own (all
  # is in etcd), so it is killed after a short grace.
  local grace=10
  case "$name" in etcd) grace=30 ;; kube-apiserver) grace=5 ;; esac
  log "stopping $name (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 $((grace * 5))); do
    ours "$name" "$pid" || break
    sleep 0.2
  done
  if ours "$name" "$pid"; then
    log "$name still running ${grace}s after SIGTERM; sending SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do ours "$name" "$pid" || break; sleep 0.2; done
    ours "$name" "$pid" && die "could not stop $name (pid $pid)"
  fi
  rm -f "$pf"
}

if [ ! -d "$STATE" ]; then
  log "local cluster: nothing to stop (no $STATE)"
  exit 0
fi

stopped=0
for c in "${COMPONENTS[@]}"; do
  if [ -s "$PIDS/$c.pid" ] && ours "$c" "$(cat "$PIDS/$c.pid")"; then stopped=$((stopped + 1)); fi
  stop "$c"
done
if [ "$stopped" -gt 0 ]; then
  log "local cluster stopped ($stopped processes); logs kept in $STATE/logs"
else
  log "local cluster was not running"
fi

if [ "$purge" = 1 ]; then
  rm -rf "$STATE"
  log "purged $STATE (etcd data, certificates, kubeconfig, logs)"
fi
