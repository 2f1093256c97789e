#!/usr/bin/env bash
# npm run setup: everything `npm run deploy` needs, without deploying: the npm
# dependencies and the policy pack, the Pulumi toolchain and the local
# control plane's binaries (an existing install is used; what is missing is
# built once, both builds side by side), then the local cluster.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ELASTICELL_ROOT/scripts/lib/parallel.sh"
cd "$ELASTICELL_ROOT"
install_deps
parallel_builds toolchain scripts/toolchain.sh cluster-build scripts/cluster-build.sh
run_step "starting the local cluster" bash scripts/cluster-up.sh
log "set up in $(elapsed): npm run deploy deploys the dev stack; source scripts/env.sh for pulumi and kubectl"
