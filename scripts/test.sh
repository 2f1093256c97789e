#!/usr/bin/env bash
# Runs every test layer (README's test command, and what .ci/run calls):
# type-check, unit and mock tests, policy rules, and the engine end-to-end
# tests (render target and local cluster). Installs what is missing first.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ELASTICELL_ROOT"

install_deps
run_step "type-check (tsc --noEmit: program, tests, policy pack)" npm run --silent typecheck
run_step "format and lint (prettier --check, eslint with typescript-eslint recommended type-checked)" npm run --silent lint
use_toolchain
export ELASTICELL_TEST_PATH="$PATH"

started_cluster=""
if [ -x scripts/cluster-up.sh ] && [ "${ELASTICELL_SKIP_CLUSTER:-}" != "1" ]; then
  if ! bash scripts/cluster-up.sh --check >/dev/null 2>&1; then started_cluster=1; fi
  run_step "local cluster" bash scripts/cluster-up.sh
  export ELASTICELL_TEST_KUBECONFIG="$ELASTICELL_KUBECONFIG"
  export ELASTICELL_TEST_KUBECTL="$(bash scripts/cluster-build.sh | tail -n 1)/kubectl"
fi
cleanup() { if [ -n "$started_cluster" ]; then bash scripts/cluster-down.sh || true; fi; }
trap cleanup EXIT

mapfile -t files < <(find test -name '*.test.ts' | sort)
[ "${#files[@]}" -gt 0 ] || die "no test files found"
log "running ${#files[@]} test files with node --test"
node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
