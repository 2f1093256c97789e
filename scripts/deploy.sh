#!/usr/bin/env bash
# The main job: set everything up and deploy a stack (default: dev, on the
# local cluster). Usage: npm run deploy [-- <stack>]
#   1. npm dependencies (program and policy pack)
#   2. the Pulumi toolchain (an existing install, or built once into the cache)
#      and, for a stack on the local cluster, the control plane's binaries:
#      both built side by side when missing (logs in .elasticell/logs/)
#   3. the local cluster, for a stack on it (npm run cluster:up)
#   4. the state backend (yours when PULUMI_BACKEND_URL or `pulumi login` says
#      so, else the project's file backend) and the stack
#   5. pulumi up --policy-pack policies, then the outputs and pods per tier
# A stack that is neither on the local cluster nor rendered must name its
# cluster (kubernetes:context or kubernetes:kubeconfig in Pulumi.<stack>.yaml):
# this script refuses it otherwise, so it never lands on whatever cluster the
# ambient kubeconfig happens to point at.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ELASTICELL_ROOT/scripts/lib/parallel.sh"
stack="${1:-dev}"
cd "$ELASTICELL_ROOT"
stack_file="Pulumi.$stack.yaml"
[ -f "$stack_file" ] || die "no stack file $stack_file (stacks here: $(ls Pulumi.*.yaml | sed 's/Pulumi\.\(.*\)\.yaml/\1/' | tr '\n' ' '))"

# stack_key <key>: the value of a top-level config key of the stack file, or nothing.
stack_key() { sed -n "s/^  $1: *//p" "$stack_file" | head -n 1; }

if [ "$(stack_key kubernetes:kubeconfig)" = ".elasticell/cluster/kubeconfig" ]; then
  target=local
elif [ -n "$(stack_key kubernetes:renderYamlToDirectory)" ]; then
  target=render
elif [ -n "$(stack_key kubernetes:context)$(stack_key kubernetes:kubeconfig)" ]; then
  target=cluster
else
  die "$stack_file names no cluster: set kubernetes:context (a context of your kubeconfig) or kubernetes:kubeconfig, e.g. pulumi config set kubernetes:context <context> --stack $stack (docs/configuration.md: From the local cluster to a real one)"
fi

install_deps
if [ "$target" = local ]; then
  parallel_builds toolchain scripts/toolchain.sh cluster-build scripts/cluster-build.sh
fi
use_toolchain
if [ "$target" = local ]; then
  run_step "starting the local cluster" bash scripts/cluster-up.sh
  export KUBECONFIG="$ELASTICELL_KUBECONFIG"
fi

[ "$ELASTICELL_STATE" = project ] && mkdir -p .elasticell/state
log "$(describe_state)"
secrets=()
if ! grep -q '^secretsprovider:' "$stack_file"; then
  if [ -n "${ELASTICELL_SECRETS_PROVIDER:-}" ]; then
    secrets=(--secrets-provider "$ELASTICELL_SECRETS_PROVIDER")
  elif [ "$ELASTICELL_STATE" = project ]; then
    secrets=(--secrets-provider passphrase)
  fi
fi
pulumi stack select --create "${secrets[@]}" "$stack" >/dev/null
run_step "pulumi up (stack $stack, policy pack policies/)" \
  pulumi up --yes --stack "$stack" --policy-pack policies --suppress-progress
pulumi stack output --stack "$stack"
if [ "$target" = local ] && kubectl_bin="$(bash scripts/cluster-build.sh 2>/dev/null | tail -n 1)/kubectl" && [ -x "$kubectl_bin" ]; then
  ns="$(pulumi stack output namespace --stack "$stack")"
  for tier in pd store proxy; do
    echo "--- $tier pods"
    "$kubectl_bin" get pods -n "$ns" -l "app.kubernetes.io/component=$tier,app.kubernetes.io/instance=$(pulumi stack output clusterName --stack "$stack")" -o wide
  done
fi
log "done: use 'source scripts/env.sh' to run pulumi and kubectl against this stack by hand"
