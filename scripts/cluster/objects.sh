# The local cluster's own objects, once its control plane answers: the fake
# nodes in three zones, the default StorageClass and its pool of
# PersistentVolumes (cluster/manifests/), and a smoke test. Sourced by
# scripts/cluster-up.sh after scripts/cluster/config.sh; do not run it.

MANIFESTS="$ELASTICELL_ROOT/cluster/manifests"

# wait_for <description> <command...>: poll until the command succeeds, with a
# progress line every 10 s; fail (showing the logs of stopped components)
# after $TIMEOUT seconds.
wait_for() {
  local what="$1"; shift
  local t0 n=0; t0=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    check_components
    if (( $(date +%s) - t0 >= TIMEOUT )); then
      die "timed out after ${TIMEOUT}s waiting for $what (logs: $CLUSTER_LOGS)"
    fi
    n=$((n + 1))
    (( n % 20 == 0 )) && log "  still waiting for $what ($(( $(date +%s) - t0 ))s)"
    sleep 0.5
  done
  log "$what ($(( $(date +%s) - t0 ))s)"
}

# check_components: every component kwokctl started is still running; else
# die with the last lines of the stopped one's log.
check_components() {
  local down c
  down="$(components_down)" || die "kwokctl knows no cluster in $KWOK_CLUSTER"
  [ -z "$down" ] && return 0
  for c in $down; do
    log "$c is not running; last lines of $CLUSTER_LOGS/$c.log:"
    tail -n 25 "$CLUSTER_LOGS/$c.log" >&2 || true
  done
  die "not running: $down (see $CLUSTER_LOGS; npm run cluster:down -- --purge starts from scratch)"
}

# render_named <template> <name>: a manifest template with @NAME@ filled in.
render_named() {
  local t; t="$(<"$1")"
  printf '%s\n' "${t//@NAME@/$2}"
}

nodes_ready() {
  local want have
  want="$(grep -c '^kind: Node' "$MANIFESTS/nodes.yaml")"
  have="$(kc get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -cx True)"
  [ "$have" -ge "$want" ]
}

# apply_pv_pool: create the PersistentVolumes of the pool that are missing.
apply_pv_pool() {
  local have i name missing=""
  have="$(kc get pv -l elasticell.local/pv-pool=static -o name)"
  for i in $(seq -w 1 "$PV_COUNT"); do
    name="local-pv-$i"
    grep -qx "persistentvolume/$name" <<<"$have" && continue
    missing+="---
$(render_named "$MANIFESTS/pv.yaml" "$name")
"
  done
  if [ -n "$missing" ]; then
    kc create -f - <<<"$missing" >/dev/null
    log "created $(grep -c '^kind: PersistentVolume' <<<"$missing") PersistentVolumes (50Gi, RWO, Retain, class local-storage)"
  fi
}

pvc_bound() { [ "$(kc -n "$1" get pvc "$2" -o jsonpath='{.status.phase}')" = Bound ]; }

# smoke: cluster/manifests/smoke.yaml under a unique name, so leftovers of an
# earlier run (deleted without waiting) never block.
smoke() {
  local ns=default name
  name="elasticell-smoke-$(date +%s)"
  kc -n "$ns" delete pod,pvc -l elasticell.local/smoke=true --wait=false >/dev/null 2>&1 || true
  render_named "$MANIFESTS/smoke.yaml" "$name" | kc -n "$ns" create -f - >/dev/null
  wait_for "smoke PVC bound" pvc_bound "$ns" "$name"
  wait_for "smoke pod Ready" kc -n "$ns" wait --for=condition=Ready "pod/$name" --timeout=2s
  kc -n "$ns" delete "pod/$name" "pvc/$name" --wait=false >/dev/null
}

# cluster_objects: everything above, in order, waiting for each.
cluster_objects() {
  wait_for "kube-apiserver ready at $API_URL" kc get --raw /readyz
  kc apply -f "$MANIFESTS/nodes.yaml" -f "$MANIFESTS/storage.yaml" >/dev/null
  apply_pv_pool
  wait_for "fake nodes Ready ($(kc get nodes -l type=kwok -o name | tr '\n' ' '))" nodes_ready
  wait_for "default service account in namespace default" kc -n default get serviceaccount default
  smoke
}
