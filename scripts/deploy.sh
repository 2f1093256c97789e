#!/usr/bin/env bash
# The main job: set everything up and deploy a stack (default: dev, on the
# local cluster). Usage: npm run deploy [-- <stack>]
#   1. npm dependencies (program and policy pack)
#   2. the Pulumi toolchain (found on PATH, or built once into the cache)
#   3. the local cluster, for the dev stack (npm run cluster:up)
#   4. local state backend and the stack
#   5. pulumi up --policy-pack policies, then the outputs and pods per tier
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
stack="${1:-dev}"
cd "$ELASTICELL_ROOT"
[ -f "Pulumi.$stack.yaml" ] || die "no stack file Pulumi.$stack.yaml (stacks here: $(ls Pulumi.*.yaml | sed 's/Pulumi\.\(.*\)\.yaml/\1/' | tr '\n' ' '))"

install_deps
use_toolchain
if grep -q "^  kubernetes:kubeconfig: .elasticell/cluster/kubeconfig" "Pulumi.$stack.yaml"; then
  run_step "starting the local cluster" bash scripts/cluster-up.sh
  export KUBECONFIG="$ELASTICELL_KUBECONFIG"
fi

mkdir -p .elasticell/state
log "state: $PULUMI_BACKEND_URL (passphrase from PULUMI_CONFIG_PASSPHRASE; dev default: elasticell-dev)"
pulumi stack select --create --secrets-provider passphrase "$stack" >/dev/null
run_step "pulumi up (stack $stack, policy pack policies/)" \
  pulumi up --yes --stack "$stack" --policy-pack policies --suppress-progress
pulumi stack output --stack "$stack"
if [ -n "${KUBECONFIG:-}" ] && kubectl_bin="$(bash scripts/cluster-build.sh 2>/dev/null | tail -n 1)/kubectl" && [ -x "$kubectl_bin" ]; then
  ns="$(pulumi stack output namespace --stack "$stack")"
  for tier in pd store proxy; do
    echo "--- $tier pods"
    "$kubectl_bin" get pods -n "$ns" -l "app.kubernetes.io/component=$tier,app.kubernetes.io/instance=$(pulumi stack output clusterName --stack "$stack")" -o wide
  done
fi
log "done: use 'source scripts/env.sh' to run pulumi and kubectl against this stack by hand"
