# Which Pulumi state backend and secrets passphrase the scripts use. Sourced by
# common.sh; do not run it.
#
# The user's choice wins; the project's defaults apply only when nothing was chosen:
#   1. PULUMI_BACKEND_URL is set                 -> that backend      (ELASTICELL_STATE=env)
#   2. `pulumi login` was run (a "current" backend in
#      ${PULUMI_HOME:-~/.pulumi}/credentials.json) -> that login     (ELASTICELL_STATE=login)
#   3. otherwise the project's file backend, .elasticell/state       (ELASTICELL_STATE=project)
# Only in case 3 does it set the dev passphrase (elasticell-dev), and only when
# neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set: on
# a backend of your own, stacks keep the secrets provider they were created with
# (Pulumi asks for a passphrase if theirs is one and none is set).

# pulumi_login_url: the backend `pulumi login` selected, or nothing.
pulumi_login_url() {
  local creds="${PULUMI_HOME:-$HOME/.pulumi}/credentials.json"
  [ -f "$creds" ] || return 0
  node -e '
    try {
      const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      if (typeof c.current === "string") process.stdout.write(c.current);
    } catch {}
  ' "$creds" 2>/dev/null || true
}

if [ -n "${PULUMI_BACKEND_URL:-}" ]; then
  ELASTICELL_STATE=env
elif [ -n "$(pulumi_login_url)" ]; then
  ELASTICELL_STATE=login
else
  ELASTICELL_STATE=project
  export PULUMI_BACKEND_URL="file://$ELASTICELL_ROOT/.elasticell/state"
  if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
    export PULUMI_CONFIG_PASSPHRASE=elasticell-dev
  fi
fi
export ELASTICELL_STATE

# describe_state: one line for logs (never prints a passphrase).
describe_state() {
  case "$ELASTICELL_STATE" in
    env) echo "state: $PULUMI_BACKEND_URL (PULUMI_BACKEND_URL)" ;;
    login) echo "state: $(pulumi_login_url) (your pulumi login)" ;;
    *) echo "state: $PULUMI_BACKEND_URL (the project's file backend; nothing else chosen)" ;;
  esac
}
