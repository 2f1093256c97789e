# Source this file to use the project's `pulumi` and `kubectl` by hand:
#   source scripts/env.sh && pulumi stack ls
# It puts the toolchain on PATH and points Pulumi at the project's local
# state (file backend, dev passphrase) and kubectl at the local cluster.
_elasticell_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$_elasticell_dir/lib/common.sh"
use_toolchain
if [ -d "$ELASTICELL_CACHE/toolchain" ]; then
  for _d in "$ELASTICELL_CACHE"/toolchain/cluster-*/bin; do
    [ -x "$_d/kubectl" ] && export PATH="$_d:$PATH"
  done
fi
[ -f "$ELASTICELL_KUBECONFIG" ] && export KUBECONFIG="$ELASTICELL_KUBECONFIG"
log "pulumi: $(command -v pulumi); state: $PULUMI_BACKEND_URL; KUBECONFIG=${KUBECONFIG:-unset}"
unset _elasticell_dir _d
