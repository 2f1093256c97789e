#!/usr/bin/env bash
# Self-test of the local cluster (run after `npm run cluster:up`):
#   bash cluster/selftest/run.sh
# A 3-replica StatefulSet with a volumeClaimTemplate and a PDB: pods Running and
# Ready, PVCs Bound, scale 3 -> 5, a partitioned rolling update (one pod at a
# time), and a ValidatingAdmissionPolicy that refuses `kubectl scale` 5 -> 2
# through the /scale subresource. Deletes what it created at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"
# KUBECONFIG_PATH and kc (ELASTICELL_CLUSTER_DIR picks another cluster).
source "$ELASTICELL_ROOT/scripts/cluster/config.sh"

HERE="$ELASTICELL_ROOT/cluster/selftest"
BIN="$(bash "$ELASTICELL_ROOT/scripts/cluster-build.sh" --cached | tail -n1)" || die "no cluster binaries; run npm run cluster:up"
NS=elasticell-selftest
k() { kc -n "$NS" "$@"; }
ok() { log "PASS: $*"; }
fail() { die "FAIL: $*"; }
now_ms() { date +%s%3N; }

cleanup() {
  [ -n "${WATCH_PID:-}" ] && kill "$WATCH_PID" 2>/dev/null || true
  kc delete validatingadmissionpolicybinding elasticell-selftest-no-scale-in elasticell-selftest-objsel \
    --ignore-not-found >/dev/null 2>&1 || true
  kc delete validatingadmissionpolicy elasticell-selftest-no-scale-in elasticell-selftest-objsel \
    --ignore-not-found >/dev/null 2>&1 || true
  kc delete namespace "$NS" --ignore-not-found --wait=true --timeout=120s >/dev/null 2>&1 || true
}
trap cleanup EXIT

ready_count() { k get sts web -o jsonpath='{.status.readyReplicas}' | sed 's/^$/0/'; }
wait_ready() { # wait_ready <n>
  local t0; t0=$(now_ms)
  for _ in $(seq 1 600); do
    [ "$(ready_count)" = "$1" ] && [ "$(k get pods -l app=web --no-headers | grep -c ' Running ')" = "$1" ] &&
      { echo $(( $(now_ms) - t0 )); return 0; }
    sleep 0.2
  done
  return 1
}

kc api-resources >/dev/null || die "cluster not reachable; run npm run cluster:up"
cleanup
kc create namespace "$NS" >/dev/null

# --- 1. StatefulSet: pods Running/Ready, PVCs Bound
t0=$(now_ms)
k apply -f "$HERE/statefulset.yaml" >/dev/null
ms=$(wait_ready 3) || { k get pods,pvc -o wide >&2; fail "3 pods not Ready"; }
ok "3 pods Running and Ready $(( $(now_ms) - t0 )) ms after kubectl apply"
k get pods -o wide --no-headers | awk '{print "    " $1, $2, $3, $7}' >&2
[ "$(k get pvc --no-headers | grep -c ' Bound ')" = 3 ] || { k get pvc >&2; fail "PVCs not Bound"; }
ok "3 PVCs Bound:"; k get pvc --no-headers | awk '{print "    " $1, $2, $3, $4, $6}' >&2
[ "$(k get pdb web -o jsonpath='{.status.disruptionsAllowed}')" = 1 ] && ok "PDB web: disruptionsAllowed=1"

# --- 2. scale out 3 -> 5
t0=$(now_ms)
k scale sts web --replicas=5 >/dev/null
wait_ready 5 >/dev/null || fail "scale to 5"
ok "kubectl scale --replicas=5: 5 pods Ready in $(( $(now_ms) - t0 )) ms, $(k get pvc --no-headers | grep -c ' Bound ') PVCs Bound"

# --- 3. rolling update with partition: only ordinals >= 3 first, one at a time
# kubectl itself in the background (not through the k function, whose
# subshell would leave kubectl running when killed).
"$BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" -n "$NS" get pods -l app=web -w --output-watch-events \
  -o 'custom-columns=EV:.type,POD:.object.metadata.name,REV:.object.metadata.labels.controller-revision-hash,READY:.object.status.conditions[?(@.type=="Ready")].status' \
  --no-headers > /tmp/elasticell-selftest-watch.$$ 2>&1 &
WATCH_PID=$!
sleep 1
old_rev="$(k get sts web -o jsonpath='{.status.currentRevision}')"
k patch sts web --type=merge -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":3}},"template":{"metadata":{"annotations":{"selftest/rev":"2"}}}}}' >/dev/null
new_rev=""
for _ in $(seq 1 300); do
  new_rev="$(k get sts web -o jsonpath='{.status.updateRevision}')"
  [ "$(k get sts web -o jsonpath='{.status.updatedReplicas}')" = 2 ] && [ "$(ready_count)" = 5 ] && break
  sleep 0.2
done
revs="$(k get pods -l app=web -o jsonpath='{range .items[*]}{.metadata.name}={.metadata.labels.controller-revision-hash}{" "}{end}')"
log "partition=3: $revs"
for i in 0 1 2; do grep -q "web-$i=$old_rev" <<<"$revs" || fail "web-$i was updated despite partition=3"; done
for i in 3 4; do grep -q "web-$i=$new_rev" <<<"$revs" || fail "web-$i not updated with partition=3"; done
ok "partition=3 updated only web-4, web-3; web-0..2 stay on $old_rev"
k patch sts web --type=merge -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}' >/dev/null
for _ in $(seq 1 300); do
  [ "$(k get sts web -o jsonpath='{.status.updatedReplicas}')" = 5 ] && [ "$(ready_count)" = 5 ] && break
  sleep 0.2
done
[ "$(k get sts web -o jsonpath='{.status.currentRevision}')" = "$new_rev" ] || sleep 2
sleep 1; kill "$WATCH_PID" 2>/dev/null || true; WATCH_PID=""
# Order of pod deletions during the rollout and the most pods down at once.
# kwok v0.8.0 deletes a terminating pod by name, without a UID precondition,
# and may play its pod-delete stage twice for one pod: now and then the second
# delete hits the pod the StatefulSet controller just re-created under the same
# name (it is re-created once more). Count such repeats; they are kwok's, not
# the rollout's.
order="$(awk '$1=="DELETED" && $2!=last {printf "%s ", $2} $1=="DELETED" {last=$2}' /tmp/elasticell-selftest-watch.$$)"
repeats="$(awk '$1=="DELETED" && $2==last {n++} $1=="DELETED" {last=$2} END {print n+0}' /tmp/elasticell-selftest-watch.$$)"
maxdown="$(awk '
  $1=="DELETED" {down[$2]=1}
  $1!="DELETED" && $4=="True" {delete down[$2]}
  $1!="DELETED" && $4!="True" {down[$2]=1}
  {n=0; for (p in down) n++; if (n>max) max=n}
  END {print max+0}' /tmp/elasticell-selftest-watch.$$)"
rm -f /tmp/elasticell-selftest-watch.$$
log "rollout pod deletions in order: $order(repeated deletes of a re-created pod by kwok: $repeats)"
[ "$order" = "web-4 web-3 web-2 web-1 web-0 " ] || fail "unexpected rollout order: $order"
[ "$maxdown" -le 1 ] || fail "$maxdown pods were down at once"
ok "rolling update: one pod at a time (max $maxdown not Ready), highest ordinal first, all on $new_rev"

# --- 4. ValidatingAdmissionPolicy on statefulsets + statefulsets/scale
kc apply -f "$HERE/vap.yaml" >/dev/null
# The policy takes effect when the apiserver's policy informer has it: probe.
for _ in $(seq 1 100); do
  out="$(k scale sts web --replicas=4 --dry-run=server 2>&1)" && sleep 0.2 || break
done
if out="$(k scale sts web --replicas=2 2>&1)"; then fail "kubectl scale --replicas=2 was allowed"; fi
grep -q 'scale-in of elasticell-selftest/web from 5 to 2 is refused' <<<"$out" || fail "unexpected refusal: $out"
ok "kubectl scale --replicas=2 refused: $out"
[ "$(k get sts web -o jsonpath='{.spec.replicas}')" = 5 ] || fail "replicas changed"
if out="$(k patch sts web --type=merge -p '{"spec":{"replicas":4}}' 2>&1)"; then fail "patch replicas 5->4 allowed"; fi
grep -q 'scale-in of elasticell-selftest/web from 5 to 4 is refused (via the StatefulSet' <<<"$out" || fail "unexpected refusal: $out"
ok "kubectl patch spec.replicas 5->4 refused: $out"
k scale sts web --replicas=6 >/dev/null && ok "kubectl scale --replicas=6 (scale out) allowed"
wait_ready 6 >/dev/null || fail "scale to 6"

# Finding: an objectSelector on the StatefulSet's labels does not see /scale
# requests (the Scale object has no labels).
kc delete validatingadmissionpolicybinding elasticell-selftest-no-scale-in >/dev/null
kc apply -f - >/dev/null <<'EOF'
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: elasticell-selftest-objsel}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [UPDATE], resources: [statefulsets, statefulsets/scale]}
  validations:
  - expression: "(has(object.spec.replicas) ? object.spec.replicas : 0) >= (has(oldObject.spec.replicas) ? oldObject.spec.replicas : 0)"
    messageExpression: "'objectSelector-bound guard: ' + object.kind + ' ' + object.metadata.name + ' scale-in refused'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: elasticell-selftest-objsel}
spec:
  policyName: elasticell-selftest-objsel
  validationActions: [Deny]
  matchResources:
    objectSelector:
      matchLabels: {elasticell.test/guard: no-scale-in}
EOF
for _ in $(seq 1 100); do
  out="$(k patch sts web --dry-run=server --type=merge -p '{"spec":{"replicas":5}}' 2>&1)" && sleep 0.2 || break
done
ok "objectSelector binding is active (it refuses a patch of the StatefulSet: $out)"
if out="$(k scale sts web --replicas=5 --dry-run=server 2>&1)"; then
  ok "FINDING: the same objectSelector binding lets kubectl scale 6->5 through /scale (Scale has no labels): $out"
else
  ok "objectSelector binding also refused /scale: $out"
fi

log "self-test passed; cleaning up"
