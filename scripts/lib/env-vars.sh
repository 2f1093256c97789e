#!/usr/bin/env bash
# Prints the `export` lines that scripts/env.sh evaluates in the user's shell.
# A separate process on purpose: everything that may fail (finding or building
# the toolchain) fails here, with `set -e` and `die`, and never in the user's
# interactive shell, which only ever runs `eval` of finished output.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bin="$(bash "$ELASTICELL_ROOT/scripts/toolchain.sh" | tail -n 1)" || die "no Pulumi toolchain (see the messages above)"
dirs=("$bin" "$ELASTICELL_ROOT/scripts/plugins")
for d in "$ELASTICELL_CACHE"/toolchain/cluster-*/bin; do
  [ -x "$d/kubectl" ] && dirs=("$d" "${dirs[@]}")
done
prefix=""
for d in "${dirs[@]}"; do
  case ":$PATH:" in *":$d:"*) ;; *) prefix="${prefix:+$prefix:}$d" ;; esac
done
[ -n "$prefix" ] && printf 'export PATH=%q:"$PATH"\n' "$prefix"

for v in PULUMI_SKIP_UPDATE_CHECK PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK; do
  printf 'export %s=%q\n' "$v" "${!v}"
done
if [ "$ELASTICELL_STATE" = project ]; then
  printf 'export PULUMI_BACKEND_URL=%q\n' "$PULUMI_BACKEND_URL"
  [ -n "${PULUMI_CONFIG_PASSPHRASE+set}" ] && printf 'export PULUMI_CONFIG_PASSPHRASE=%q\n' "$PULUMI_CONFIG_PASSPHRASE"
fi

# kubectl: the local cluster first (its context is current), then your own
# kubeconfig, whose contexts stay reachable by name (kubectl --context, or a
# stack's kubernetes:context).
if [ -f "$ELASTICELL_KUBECONFIG" ]; then
  case ":${KUBECONFIG:-}:" in
    *":$ELASTICELL_KUBECONFIG:"*) ;;
    *)
      own="${KUBECONFIG:-}"
      [ -z "$own" ] && [ -f "$HOME/.kube/config" ] && own="$HOME/.kube/config"
      printf 'export KUBECONFIG=%q\n' "$ELASTICELL_KUBECONFIG${own:+:$own}" ;;
  esac
fi
log "$(describe_state)"
