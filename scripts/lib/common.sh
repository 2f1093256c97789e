# Shared helpers for the project's shell scripts. Source it; do not run it.
# Conventions: progress goes to stderr as "[elasticell] <elapsed> <message>";
# stdout is kept for a script's result (e.g. toolchain.sh prints its bin dir).

ELASTICELL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ELASTICELL_CACHE="${ELASTICELL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/elasticell}"
ELASTICELL_STARTED_AT="${ELASTICELL_STARTED_AT:-$(date +%s)}"
export ELASTICELL_ROOT ELASTICELL_CACHE ELASTICELL_STARTED_AT

# Offline by construction: the Go module proxy is the only network source a
# build may use, and Pulumi never phones home or downloads a plugin.
export GOFLAGS="${GOFLAGS:--mod=mod}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true

elapsed() {
  local s=$(( $(date +%s) - ELASTICELL_STARTED_AT ))
  printf '%dm%02ds' $((s / 60)) $((s % 60))
}

log() { printf '[elasticell] %7s %s\n' "$(elapsed)" "$*" >&2; }

die() {
  printf '[elasticell] error: %s\n' "$*" >&2
  exit 1
}

# with_lock <lockfile> <command...>: run a command holding an exclusive lock,
# so two runs never build into the same cache entry at once.
with_lock() {
  local lock="$1"; shift
  mkdir -p "$(dirname "$lock")"
  (
    flock -w 7200 9 || die "timed out waiting for lock $lock"
    "$@"
  ) 9>"$lock"
}

# atomic_build <final-dir> <builder-function>: build into a temp directory
# beside <final-dir> and rename it into place only when the builder succeeds,
# so an interrupted build never leaves a half-filled cache entry. The builder
# gets the temp directory as $1.
atomic_build() {
  local final="$1" builder="$2"
  [ -d "$final" ] && return 0
  local tmp
  tmp="$(mktemp -d "${final}.partial.XXXXXX")"
  chmod 755 "$tmp"
  if "$builder" "$tmp"; then
    mv "$tmp" "$final"
  else
    rm -rf "$tmp"
    return 1
  fi
}

# run_step <description> <command...>: log, run, and report the step's time.
run_step() {
  local what="$1"; shift
  local t0; t0=$(date +%s)
  log "$what ..."
  "$@" || die "$what failed"
  log "$what done in $(( $(date +%s) - t0 ))s"
}

# Pulumi state: PULUMI_BACKEND_URL or your `pulumi login` when there is one, else
# the project's file backend with the dev passphrase (scripts/lib/state.sh).
source "$ELASTICELL_ROOT/scripts/lib/state.sh"
# The local cluster's kubeconfig (npm run cluster:up writes it; state dir
# ELASTICELL_CLUSTER_DIR, see scripts/cluster/config.sh).
ELASTICELL_KUBECONFIG="${ELASTICELL_CLUSTER_DIR:-$ELASTICELL_ROOT/.elasticell/cluster}/kubeconfig"

# install_deps: npm ci for the program and the policy pack when their lock
# file changed since the last install (or nothing is installed yet).
install_deps() {
  local dir stamp
  for dir in "$ELASTICELL_ROOT" "$ELASTICELL_ROOT/policies"; do
    [ -f "$dir/package-lock.json" ] || continue
    stamp="$dir/node_modules/.elasticell-lock.sha"
    if [ ! -f "$stamp" ] || [ "$(sha256sum < "$dir/package-lock.json")" != "$(cat "$stamp")" ]; then
      run_step "installing npm dependencies in ${dir/#"$ELASTICELL_ROOT"/.}" \
        npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
      sha256sum < "$dir/package-lock.json" > "$stamp"
    fi
  done
  build_policy_pack
}

# build_policy_pack: type-check and compile policies/ to policies/bin when its
# sources changed (policies/loader/build.js keeps the hash of the sources in
# bin/.sources.sha). The pack's entry (policies/main.js) checks the same stamp
# on every start and transpiles a stale bin/ itself, so an unscripted
# `pulumi preview --policy-pack policies` never runs a stale build either;
# compiling here adds tsc's type errors, and keeps the first preview fast.
build_policy_pack() {
  local pack="$ELASTICELL_ROOT/policies"
  if ! node "$pack/loader/build.js" check; then
    run_step "compiling the policy pack (policies/bin)" node "$pack/loader/build.js" tsc
  fi
}

# use_toolchain: put the Pulumi toolchain (built or found) on PATH, and
# scripts/plugins (the Node.js dynamic-provider plugin the Store drain and the
# guard release need, which a toolchain built from Go modules lacks).
use_toolchain() {
  local bin
  bin="$(bash "$ELASTICELL_ROOT/scripts/toolchain.sh" | tail -n 1)" || die "no Pulumi toolchain (see the messages above)"
  export PATH="$bin:$ELASTICELL_ROOT/scripts/plugins:$PATH"
}
