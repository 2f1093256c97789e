#!/usr/bin/env bash
# npm run bench -- what the program and the policy pack cost as work grows.
# Prints a Markdown table (stdout, and bench/results.md); progress on stderr.
#   0. what every preview pays: type-checking the program (project default vs
#      PULUMI_NODEJS_TRANSPILE_ONLY=true/false) and the policy pack's start-up
#      (without / with the pack / a fresh clone's pack), with a breakdown;
#   1. program cost against size: under Pulumi mocks and with `pulumi preview`
#      (render target) for Store replicas 3/30/300 and 1/5/20 clusters;
#   2. the pack cost: preview with and without --policy-pack policies, and the
#      pack's Kubernetes baseline reads (loopback fake API, local cluster);
#   3. kubectl apply --dry-run=server against the local cluster, the floor.
# Figures only, never assertions. About 10-15 minutes on 2 cores.
# Env: ELASTICELL_BENCH_QUICK=1 (fewer repetitions), ELASTICELL_BENCH_MOCKS_ONLY=1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ELASTICELL_ROOT"

install_deps
if [ "${ELASTICELL_BENCH_MOCKS_ONLY:-}" != "1" ]; then
  use_toolchain
fi

# kubectl from the cluster toolchain, only when that cache is already built
# (building it takes long) or the local cluster is up.
cluster_answers() {
  local server
  [ -s "$ELASTICELL_KUBECONFIG" ] || return 1
  server="$(sed -n 's/^ *server: *//p' "$ELASTICELL_KUBECONFIG" | head -n 1)"
  [ -n "$server" ] && curl -fsSk --max-time 3 "$server/readyz" >/dev/null 2>&1
}
kubectl_bin=""
cache_built=""
for d in "$ELASTICELL_CACHE"/toolchain/cluster-*/bin; do
  case "$d" in *.partial.*) continue ;; esac
  [ -x "$d/kubectl" ] && cache_built=1
done
if [ -n "$cache_built" ] || cluster_answers; then
  kubectl_bin="$(bash scripts/cluster-build.sh | tail -n 1)/kubectl"
  [ -x "$kubectl_bin" ] || kubectl_bin=""
fi
[ -n "$kubectl_bin" ] || log "no cluster toolchain cache: the kubectl dry-run is skipped (npm run cluster:up builds it)"

# Engine runs: no update checks or plugin downloads, transpile-only programs
# (the project's tsconfig.json already says so; section 0 sets the variable per
# run); each project copy gets its own file backend and passphrase (bench/lib/project.ts).
export PULUMI_NODEJS_TRANSPILE_ONLY=true PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export ELASTICELL_BENCH_KUBECTL="$kubectl_bin"
log "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
node --import tsx bench/main.ts
