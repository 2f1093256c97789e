# Source this file (bash) to use the project's `pulumi` and `kubectl` by hand:
#   source scripts/env.sh && pulumi stack ls
# It puts the toolchain (and scripts/plugins) on PATH, points Pulumi at your
# backend (PULUMI_BACKEND_URL or `pulumi login`) or else the project's local
# state (file backend, dev passphrase), and puts the local cluster's kubeconfig
# first in KUBECONFIG (your own contexts stay reachable by name).
# It never closes your shell: the work runs in scripts/lib/env-vars.sh, a child
# process, and this file only evaluates its finished output (or returns 1).
if [ -z "${BASH_VERSION:-}" ]; then
  echo "[elasticell] scripts/env.sh needs bash (run: bash, then source scripts/env.sh)" >&2
  return 1 2>/dev/null || exit 1
fi
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "[elasticell] source this file instead of running it: source scripts/env.sh" >&2
  exit 1
fi
if _elasticell_env="$(bash "$(dirname "${BASH_SOURCE[0]}")/lib/env-vars.sh")"; then
  eval "$_elasticell_env"
  unset _elasticell_env
  echo "[elasticell] pulumi: $(command -v pulumi || echo none); kubectl: $(command -v kubectl || echo none); KUBECONFIG=${KUBECONFIG:-unset}" >&2
else
  unset _elasticell_env
  echo "[elasticell] scripts/env.sh: nothing changed in this shell (see the error above)" >&2
  return 1
fi
