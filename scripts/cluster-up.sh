#!/usr/bin/env bash
# npm run cluster:up -- start (or check) the local Kubernetes control plane:
# etcd + kube-apiserver + kube-controller-manager + kube-scheduler on loopback,
# with kwok playing the kubelet of 3 fake nodes (pods get scheduled, become
# Running/Ready; no container ever runs). Binaries come from
# scripts/cluster-build.sh (built from Go modules, cached outside the repo).
#
# Idempotent: a healthy cluster is left alone; a stopped or crashed component
# is (re)started with the state it had. State lives in .elasticell/cluster/:
#   certs/ etcd/ logs/<component>.log pids/<component>.pid kubeconfig
# The admin kubeconfig is .elasticell/cluster/kubeconfig (printed at the end,
# as the last line of stdout). Stop with scripts/cluster-down.sh [--purge].
#
# Env: ELASTICELL_APISERVER_PORT (6443), ELASTICELL_ETCD_PORT (23790),
#      ELASTICELL_ETCD_PEER_PORT (23800), ELASTICELL_KCM_PORT (10357),
#      ELASTICELL_SCHED_PORT (10359), ELASTICELL_CLUSTER_PVS (90),
#      ELASTICELL_CLUSTER_TIMEOUT (seconds per wait, 180).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# --check: only report (exit status 0 when the cluster is up and healthy).
CHECK_ONLY=0
[ "${1:-}" = "--check" ] && CHECK_ONLY=1

T0=$(date +%s)
STATE="$ELASTICELL_ROOT/.elasticell/cluster"
CERTS="$STATE/certs" LOGS="$STATE/logs" PIDS="$STATE/pids" KCDIR="$STATE/kubeconfigs"
KUBECONFIG_PATH="$STATE/kubeconfig"
MANIFESTS="$ELASTICELL_ROOT/cluster/manifests"
KWOK_STAGES="$ELASTICELL_ROOT/cluster/kwok"
API_PORT="${ELASTICELL_APISERVER_PORT:-6443}"
ETCD_PORT="${ELASTICELL_ETCD_PORT:-23790}"
ETCD_PEER_PORT="${ELASTICELL_ETCD_PEER_PORT:-23800}"
KCM_PORT="${ELASTICELL_KCM_PORT:-10357}" SCHED_PORT="${ELASTICELL_SCHED_PORT:-10359}"  # loopback health ports, not the defaults
PV_COUNT="${ELASTICELL_CLUSTER_PVS:-90}"
TIMEOUT="${ELASTICELL_CLUSTER_TIMEOUT:-180}"
API_URL="https://127.0.0.1:$API_PORT"
SERVICE_CIDR=10.96.0.0/16
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

# ---------------------------------------------------------------- helpers
# proc_alive <name>: the pid file's process is running and is our binary.
proc_alive() {
  local pf="$PIDS/$1.pid" pid exe
  [ -s "$pf" ] || return 1
  pid="$(cat "$pf")"
  [ -r "/proc/$pid/cmdline" ] || return 1
  exe="$(tr '\0' '\n' < "/proc/$pid/cmdline" | head -n1)"
  [ "${exe##*/}" = "$1" ]
}

# port_busy <port>: something accepts connections on 127.0.0.1:<port>.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

api_ready() {
  curl -fsS --max-time 3 --cacert "$CERTS/ca.crt" --cert "$CERTS/admin.crt" --key "$CERTS/admin.key" \
    "$API_URL/readyz" 2>/dev/null | grep -qx ok
}

kc() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }

# wait_for <description> <command...>: poll until the command succeeds, with a
# progress line every 10 s; fail (showing the logs of dead components) after
# $TIMEOUT seconds.
wait_for() {
  local what="$1"; shift
  local t0 n=0; t0=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    check_components
    if (( $(date +%s) - t0 >= TIMEOUT )); then
      die "timed out after ${TIMEOUT}s waiting for $what (logs: $LOGS)"
    fi
    n=$((n + 1))
    (( n % 20 == 0 )) && log "  still waiting for $what ($(( $(date +%s) - t0 ))s)"
    sleep 0.5
  done
  log "$what ($(( $(date +%s) - t0 ))s)"
}

# check_components: every component we started is still running.
check_components() {
  local c
  for c in "${STARTED[@]}"; do
    if ! proc_alive "$c"; then
      log "$c exited; last lines of $LOGS/$c.log:"
      tail -n 25 "$LOGS/$c.log" >&2 || true
      die "$c failed to start (see $LOGS/$c.log; after an unclean stop, 'npm run cluster:down -- --purge' starts from scratch)"
    fi
  done
}
STARTED=()

# start <name> <binary> <args...>: run as its own process group (setsid), log
# to logs/<name>.log, pid in pids/<name>.pid.
start() {
  local name="$1"; shift
  printf '\n=== %s starting %s\n' "$(date -Is)" "$*" >> "$LOGS/$name.log"
  setsid "$@" >> "$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name.pid"
  STARTED+=("$name")
  log "started $name (pid $!, log $LOGS/$name.log)"
}

# ---------------------------------------------------------------- certs
# cert <name> <CN> <O|""> <serverAuth|clientAuth> [subjectAltName]
cert() {
  local name="$1" cn="$2" org="$3" usage="$4" san="${5:-}" subj="/CN=$2"
  [ -n "$org" ] && subj="/O=$org/CN=$cn"
  [ -s "$CERTS/$name.crt" ] && return 0
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$usage"
    [ -n "$san" ] && echo "subjectAltName=$san"
  } > "$CERTS/$name.ext"
  openssl genrsa -out "$CERTS/$name.key" 2048 2>/dev/null
  openssl req -new -key "$CERTS/$name.key" -subj "$subj" -out "$CERTS/$name.csr"
  openssl x509 -req -in "$CERTS/$name.csr" -CA "$CERTS/ca.crt" -CAkey "$CERTS/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 3650 -sha256 \
    -extfile "$CERTS/$name.ext" -out "$CERTS/$name.crt" 2>/dev/null
  rm -f "$CERTS/$name.csr" "$CERTS/$name.ext"
}

make_certs() {
  if ! command -v openssl >/dev/null; then
    log "installing openssl (apt-get)"
    apt-get update -qq >/dev/null && apt-get install -y -qq openssl >/dev/null ||
      die "openssl is missing and could not be installed"
  fi
  mkdir -p "$CERTS"; chmod 700 "$CERTS"
  umask 077
  if [ ! -s "$CERTS/ca.crt" ]; then
    log "generating CA, serving/client certificates and service-account keys in $CERTS"
    cat > "$CERTS/ca.cnf" <<'EOF'
[req]
distinguished_name = dn
x509_extensions = v3_ca
prompt = no
[dn]
CN = elasticell-local-ca
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
EOF
    openssl genrsa -out "$CERTS/ca.key" 2048 2>/dev/null
    openssl req -x509 -new -key "$CERTS/ca.key" -config "$CERTS/ca.cnf" -days 3650 -sha256 \
      -out "$CERTS/ca.crt"
    rm -f "$CERTS/ca.cnf"
    # Everything else is derived from this CA: regenerate it all.
    rm -f "$CERTS"/{apiserver,admin,controller-manager,scheduler,kwok}.{crt,key} "$CERTS"/sa.{key,pub}
  fi
  cert apiserver kube-apiserver "" serverAuth \
    "IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin elasticell-admin system:masters clientAuth
  cert controller-manager system:kube-controller-manager "" clientAuth
  cert scheduler system:kube-scheduler "" clientAuth
  # kwok plays the kubelet of every fake node and recycles PVs: cluster-admin.
  cert kwok kwok system:masters clientAuth
  if [ ! -s "$CERTS/sa.key" ]; then
    openssl genrsa -out "$CERTS/sa.key" 2048 2>/dev/null
    openssl rsa -in "$CERTS/sa.key" -pubout -out "$CERTS/sa.pub" 2>/dev/null
  fi
  umask 022
}

# kubeconfig <file> <user> <cert name> [embed]: client-cert kubeconfig; the
# admin one embeds its credentials so it can be copied elsewhere.
kubeconfig() {
  local file="$1" user="$2" name="$3" embed="${4:-}"
  local ca="certificate-authority: $CERTS/ca.crt"
  local creds="client-certificate: $CERTS/$name.crt
    client-key: $CERTS/$name.key"
  if [ -n "$embed" ]; then
    ca="certificate-authority-data: $(base64 -w0 < "$CERTS/ca.crt")"
    creds="client-certificate-data: $(base64 -w0 < "$CERTS/$name.crt")
    client-key-data: $(base64 -w0 < "$CERTS/$name.key")"
  fi
  ( umask 077; cat > "$file.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: elasticell-local
  cluster:
    server: $API_URL
    $ca
users:
- name: $user
  user:
    $creds
contexts:
- name: elasticell-local
  context:
    cluster: elasticell-local
    user: $user
current-context: elasticell-local
EOF
  ) && mv "$file.tmp" "$file"
}

# ---------------------------------------------------------------- components
start_etcd() {
  port_busy "$ETCD_PORT" && die "127.0.0.1:$ETCD_PORT is in use by another program (set ELASTICELL_ETCD_PORT)"
  start etcd "$BIN/etcd" \
    --name=elasticell-local \
    --data-dir="$STATE/etcd" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="elasticell-local=http://127.0.0.1:$ETCD_PEER_PORT" \
    --auto-compaction-mode=periodic --auto-compaction-retention=1h \
    --quota-backend-bytes=$((4 * 1024 * 1024 * 1024)) \
    --log-level=warn
}

start_apiserver() {
  port_busy "$API_PORT" && die "127.0.0.1:$API_PORT is in use by another program (set ELASTICELL_APISERVER_PORT)"
  # --endpoint-reconciler-type=none: the `kubernetes` Service would advertise
  # 127.0.0.1, which Endpoints validation rejects (loopback); nothing here
  # dials the API through that Service (kwok pods are never run).
  start kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
    --endpoint-reconciler-type=none \
    --cert-dir="$CERTS/generated" \
    --tls-cert-file="$CERTS/apiserver.crt" --tls-private-key-file="$CERTS/apiserver.key" \
    --client-ca-file="$CERTS/ca.crt" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$CERTS/sa.pub" \
    --service-account-signing-key-file="$CERTS/sa.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --authorization-mode=Node,RBAC \
    --allow-privileged=true \
    --profiling=false
}

start_controller_manager() {
  local kc="$KCDIR/controller-manager.kubeconfig"
  start kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --cert-dir="$CERTS/generated" \
    --controllers='*' \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$CERTS/sa.key" \
    --root-ca-file="$CERTS/ca.crt" \
    --cluster-signing-cert-file="$CERTS/ca.crt" --cluster-signing-key-file="$CERTS/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --leader-elect=false \
    --kube-api-qps=100 --kube-api-burst=200 \
    --profiling=false
}

start_scheduler() {
  local kc="$KCDIR/scheduler.kubeconfig"
  start kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
    --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --cert-dir="$CERTS/generated" \
    --leader-elect=false \
    --kube-api-qps=100 --kube-api-burst=200 \
    --profiling=false
}

start_kwok() {
  local stages=(node-initialize node-heartbeat-with-lease pod-ready pod-complete pod-delete pv-recycle) s cfg=""
  for s in "${stages[@]}"; do cfg+="${cfg:+,}$KWOK_STAGES/$s.yaml"; done
  start kwok "$BIN/kwok" \
    --kubeconfig="$KCDIR/kwok.kubeconfig" \
    --config="$cfg" \
    --manage-all-nodes=true \
    --node-lease-duration-seconds=40 \
    --cidr=10.244.0.0/16
}

# healthz <port>: the component's loopback health endpoint answers ok.
healthz() { curl -fsSk --max-time 3 "https://127.0.0.1:$1/healthz" 2>/dev/null | grep -qx ok; }

nodes_ready() {
  local want have
  want="$(grep -c '^kind: Node' "$MANIFESTS/nodes.yaml")"
  have="$(kc get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -cx True)"
  [ "$have" -ge "$want" ]
}

# ---------------------------------------------------------------- cluster objects
apply_pv_pool() {
  local have i name missing=""
  have="$(kc get pv -l elasticell.local/pv-pool=static -o name)"
  for i in $(seq -w 1 "$PV_COUNT"); do
    name="local-pv-$i"
    grep -qx "persistentvolume/$name" <<<"$have" && continue
    missing+="---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $name
  labels: {elasticell.local/pv-pool: static}
spec:
  storageClassName: local-storage
  capacity: {storage: 50Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  volumeMode: Filesystem
  hostPath: {path: /var/lib/elasticell-fake-volumes/$name}
"
  done
  if [ -n "$missing" ]; then
    kc create -f - <<<"$missing" >/dev/null
    log "created $(grep -c '^kind: PersistentVolume' <<<"$missing") PersistentVolumes (50Gi, RWO, Retain, class local-storage)"
  fi
}

# smoke: a PVC of the default class and a pod that mounts it: proves the
# scheduler, the PV controller (WaitForFirstConsumer binding) and kwok. Unique
# names, so leftovers of an earlier run (deleted without waiting) never block.
smoke() {
  local ns=default name
  name="elasticell-smoke-$(date +%s)"
  kc -n "$ns" delete pod,pvc -l elasticell.local/smoke=true --wait=false >/dev/null 2>&1 || true
  kc -n "$ns" create -f - >/dev/null <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: $name, labels: {elasticell.local/smoke: "true"}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: $name, labels: {elasticell.local/smoke: "true"}}
spec:
  containers:
  - name: smoke
    image: busybox:1.36
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: $name}
EOF
  wait_for "smoke PVC bound" pvc_bound "$ns" "$name"
  wait_for "smoke pod Ready" kc -n "$ns" wait --for=condition=Ready "pod/$name" --timeout=2s
  kc -n "$ns" delete "pod/$name" "pvc/$name" --wait=false >/dev/null
}

pvc_bound() { [ "$(kc -n "$1" get pvc "$2" -o jsonpath='{.status.phase}')" = Bound ]; }

# ---------------------------------------------------------------- main
BIN="$(bash "$ELASTICELL_ROOT/scripts/cluster-build.sh" | tail -n1)"
[ -x "$BIN/kube-apiserver" ] || die "cluster-build.sh did not return a bin dir"
mkdir -p "$LOGS" "$PIDS" "$KCDIR"

all_alive=1
for c in "${COMPONENTS[@]}"; do proc_alive "$c" || all_alive=0; done
if [ "$all_alive" = 1 ] && [ -s "$KUBECONFIG_PATH" ] && api_ready && nodes_ready; then
  log "local cluster already healthy ($API_URL)"
  echo "$KUBECONFIG_PATH"
  exit 0
fi
if [ "$CHECK_ONLY" = 1 ]; then
  log "local cluster is not running (start it with npm run cluster:up)"
  exit 1
fi

log "starting local cluster (state $STATE)"
make_certs
kubeconfig "$KUBECONFIG_PATH" elasticell-admin admin embed
kubeconfig "$KCDIR/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
kubeconfig "$KCDIR/scheduler.kubeconfig" system:kube-scheduler scheduler
kubeconfig "$KCDIR/kwok.kubeconfig" kwok kwok

if ! proc_alive etcd; then
  mkdir -p "$STATE/etcd"; chmod 700 "$STATE/etcd"
  start_etcd
fi
wait_for "etcd healthy on 127.0.0.1:$ETCD_PORT" \
  bash -c 'curl -fsS --max-time 3 "http://127.0.0.1:$0/health" | grep -q "\"health\":\"true\""' "$ETCD_PORT"

proc_alive kube-apiserver || start_apiserver
wait_for "kube-apiserver ready at $API_URL" api_ready

proc_alive kube-controller-manager || start_controller_manager
proc_alive kube-scheduler || start_scheduler
proc_alive kwok || start_kwok
wait_for "kube-controller-manager healthy" healthz "$KCM_PORT"
wait_for "kube-scheduler healthy" healthz "$SCHED_PORT"

kc apply -f "$MANIFESTS/nodes.yaml" -f "$MANIFESTS/storage.yaml" >/dev/null
apply_pv_pool
wait_for "fake nodes Ready ($(kc get nodes -l type=kwok -o name | tr '\n' ' '))" nodes_ready
wait_for "default service account in namespace default" kc -n default get serviceaccount default
smoke

log "local cluster healthy in $(( $(date +%s) - T0 ))s: $API_URL (k8s $("$BIN/kubectl" version --client -o json | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -n1)); logs in $LOGS"
log "use: export KUBECONFIG=$KUBECONFIG_PATH"
echo "$KUBECONFIG_PATH"
