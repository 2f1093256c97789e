# Runs builds side by side, each with its own log, and fails clearly when one
# fails. Sourced by deploy.sh (after common.sh); do not run it.
#
#   parallel_builds <name> <command> [<name> <command>]...
# Each <command> is a script path run with bash. Its stderr (progress) goes to
# .elasticell/logs/<name>.log and to the terminal prefixed with [<name>]; its
# stdout to .elasticell/logs/<name>.out. Waits for all of them, then returns 0,
# or dies naming every build that failed, its log, and the log's last lines.
parallel_builds() {
  local logs="$ELASTICELL_ROOT/.elasticell/logs" names=() pids=() name script i failed=()
  mkdir -p "$logs"
  while [ "$#" -ge 2 ]; do
    name="$1" script="$2"; shift 2
    : > "$logs/$name.log"
    (
      set -o pipefail
      bash "$script" 2>&1 >"$logs/$name.out" | tee "$logs/$name.log" | sed -u "s/^/  [$name] /" >&2
    ) &
    names+=("$name") pids+=("$!")
  done
  log "${names[*]}: run side by side (cached ones return at once; a cold build takes about half an hour; logs: .elasticell/logs/<name>.log)"
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed+=("${names[$i]}")
  done
  [ "${#failed[@]}" -eq 0 ] && return 0
  for name in "${failed[@]}"; do
    printf '[elasticell] %s FAILED; last lines of %s:\n' "$name" "$logs/$name.log" >&2
    tail -n 15 "$logs/$name.log" | sed 's/^/    /' >&2
  done
  die "build failed: ${failed[*]} (full logs above; fix the cause and run npm run deploy again: finished builds are cached)"
}
