#!/usr/bin/env bash
# npm run status|audit [-- <stack>] [--json]: day-2 checks of a deployed stack (default: dev),
# without running the program. Puts the Pulumi toolchain on PATH and uses the project's backend
# (PULUMI_BACKEND_URL, the dev passphrase), as scripts/deploy.sh does; see scripts/operate/.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
tool="${1:?usage: operate.sh status|audit [<stack>] [--json]}"; shift
case "$tool" in status|audit) ;; *) die "unknown tool $tool (status or audit)";; esac
cd "$ELASTICELL_ROOT"
use_toolchain
[ "$tool" = audit ] && build_policy_pack >&2
exec node --import tsx "scripts/operate/$tool.ts" "$@"
