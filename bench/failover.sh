#!/usr/bin/env bash
# Coordinator failover: on a local cluster of 3 coordinators and 3 nodes (bin/cluster, 127.0.0.1 only),
# under a light write load through every coordinator, kills the leader with kill -9 KILLS times and
# measures, each time, how long from the kill until a PUT through another coordinator (a follower, which
# forwards it to the new leader) succeeds; then starts the killed one again. Prints each time, the median
# and the worst. Also counts PUTs answered 503 (which says nothing was written) whose value a GET then
# reads: a write that took effect although the client was told it had not.
#
#   bench/failover.sh [KILLS]          (default 5)
#
# Environment: PORT (the first coordinator's port, default a free one below the ephemeral range),
# LOAD (load loops, default 4), KV_COORDINATOR_ARGS / KV_NODE_ARGS / KV_JAVA_OPTS as for bin/cluster
# (defaults: the apps' own). Bounded: every wait has a deadline, the whole run at most about 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS=${1:-5}
LOAD=${LOAD:-4}
PROBE_BOUND=30   # seconds a round waits for its first successful write
[[ "$KILLS" =~ ^[1-9][0-9]?$ ]] || { echo "usage: bench/failover.sh [KILLS (1-99)]" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -z "${PORT:-}" ]]; then  # P..P+2 and the Raft ports P+1000..P+1002 free
    for _ in $(seq 1 200); do
        PORT=$((20000 + RANDOM % 10000))
        ok=1
        for p in $PORT $((PORT + 1)) $((PORT + 2)) $((PORT + 1000)) $((PORT + 1001)) $((PORT + 1002)); do
            port_free "$p" || ok=0
        done
        ((ok)) && break
    done
fi
DATA=$(mktemp -d /tmp/kv-failover-XXXX)
url() { echo "http://127.0.0.1:$((PORT + ${1#coordinator-} - 1))"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
cleanup() {
    local rc=$?
    rm -f "$DATA/load.on"
    wait 2>/dev/null || true
    bin/cluster down --data "$DATA" >/dev/null 2>&1 || true
    if ((rc == 0)); then rm -rf "$DATA"; else echo "bench/failover.sh: failed; the cluster's logs are in $DATA/logs" >&2; fi
}
trap cleanup EXIT

echo "bench/failover.sh: 3 coordinators (ports $PORT-$((PORT + 2))), 3 nodes, in $DATA"
bin/cluster up --detach --coordinators 3 --nodes 3 --port "$PORT" --data "$DATA" >"$DATA/up.txt" 2>&1 ||
    { cat "$DATA/up.txt" >&2; exit 1; }
grep -E "UP \(" "$DATA/up.txt"

# The load: each loop writes its own 50 keys, through the coordinators in turn.
touch "$DATA/load.on"
for ((l = 0; l < LOAD; l++)); do
    (
        n=0
        while [[ -f "$DATA/load.on" ]]; do
            n=$((n + 1))
            curl -s -o /dev/null --max-time 2 -X PUT "$(url "coordinator-$((n % 3 + 1))")/kv/load/$l/$((n % 50))" \
                -H 'Content-Type: text/plain' -d "v$n" || sleep 0.05
        done
    ) &
done

leader() {  # the leader's name, as any coordinator answering GET /nodes says
    local k
    for k in 1 2 3; do
        curl -s --max-time 2 "$(url "coordinator-$k")/nodes" 2>/dev/null |
            grep -o '"id":"coordinator-[0-9]","url":"[^"]*","role":"LEADER"' | cut -d'"' -f4 && return 0
    done
    return 1
}

times=() wrong=0
for ((round = 1; round <= KILLS; round++)); do
    sleep 3
    old=$(leader) || { echo "round $round: no coordinator names a leader" >&2; exit 1; }
    survivor=coordinator-1
    [[ "$old" != coordinator-1 ]] || survivor=coordinator-2
    pid=$(cat "$DATA/pids/$old.pid")
    t0=$(now_ms)
    kill -KILL "$pid"
    attempt=0 t1="" refused=()
    while (($(now_ms) - t0 < PROBE_BOUND * 1000)); do
        attempt=$((attempt + 1))
        key="failover/$round/$attempt"
        answer=$(curl -s --max-time 2 -X PUT "$(url "$survivor")/kv/$key" -H 'Content-Type: text/plain' \
            -d "$key" -w ' %{http_code}' 2>/dev/null) || answer="no answer"
        case "$answer" in
            *" 200" | *" 201") t1=$(now_ms); break ;;
            *" 503") refused+=("$key") ;;
        esac
        sleep 0.02
    done
    [[ -n "$t1" ]] || { echo "round $round: no write through $survivor within $PROBE_BOUND s of killing $old;" \
        "last answer: $answer" >&2; exit 1; }
    times+=($((t1 - t0)))
    for key in ${refused[@]+"${refused[@]}"}; do
        if [[ "$(curl -s --max-time 5 "$(url "$survivor")/kv/$key")" == "$key" ]]; then
            wrong=$((wrong + 1))
            echo "  $key: answered 503, and then read back: it was written"
        fi
    done
    new=$(leader || echo unknown)
    printf 'round %d: killed %s (the leader); first PUT through %s %d ms later (%d attempts); new leader %s\n' \
        "$round" "$old" "$survivor" "$((t1 - t0))" "$attempt" "$new"
    KV_UP_TIMEOUT=120 bin/cluster start "$old" --data "$DATA" >"$DATA/start.txt" 2>&1 ||
        { cat "$DATA/start.txt" >&2; exit 1; }
done

sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "failover over $KILLS kills of the leader, kill -9 to the first successful PUT through a follower:"
echo "  median ${sorted[$((KILLS / 2))]} ms, worst ${sorted[$((KILLS - 1))]} ms (all: ${times[*]} ms)"
echo "  PUTs answered 503 that took effect: $wrong"
