#!/usr/bin/env bash
# Measures how long a write to a key of a node killed with kill -9 is refused: from the kill to the first
# 2xx PUT of a key whose primary is that node, ROUNDS times (node restarted and handed back in between).
#
#   bench/node-kill.sh [ROUNDS]          (default 5; PORT default 18480)
set -uo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
PORT=${PORT:-18480}
DATA=$(mktemp -d /tmp/kv-nodekill-XXXX)
API="http://127.0.0.1:$PORT"
trap 'bin/cluster down --data "$DATA" >/dev/null 2>&1 || true' EXIT
bin/cluster up --detach --port "$PORT" --data "$DATA" >"$DATA/up.out" 2>&1 || { tail "$DATA/up.out"; exit 1; }

key=""
for i in $(seq 1 500); do
    if curl -s "$API/nodes/placement?key=bench/kill-$i" | grep -q '"nodes":\["node-2"'; then
        key="bench/kill-$i"
        break
    fi
done
[[ -n "$key" ]] || { echo "no key with node-2 as its primary in 500 tries" >&2; exit 1; }
echo "key $key: primary node-2"
curl -s -o /dev/null -X PUT "$API/kv/$key" -d v0

times=()
for round in $(seq 1 "$ROUNDS"); do
    t0=$(date +%s%N)
    kill -9 "$(cat "$DATA/pids/node-2.pid")"
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$API/kv/$key" -d "v$round")" == 2* ]]; do
        sleep 0.01
    done
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    times+=("$ms")
    echo "round $round: kill -9 of node-2 -> PUT of its key answered 2xx after $ms ms"
    bin/cluster start node-2 --data "$DATA" >/dev/null 2>&1 || { echo "node-2 did not come back" >&2; exit 1; }
    # Back on the ring with every range on two live copies before the next kill.
    for _ in $(seq 1 240); do
        ring=$(curl -s "$API/actuator/health/ring")
        [[ "$ring" == *'"oneCopy":0,"noCopy":0'* && "$ring" != *JOINING* && "$ring" != *DOWN* ]] && break
        sleep 0.5
    done
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
echo "median $(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p") ms (sorted: $sorted)"
