#!/usr/bin/env bash
# Measures re-replication and hand-back: fills a local cluster with KEYS keys of 100 bytes, kills
# node-2, times how long until every range has two live copies again, restarts node-2, times the
# hand-back, and reports the client error rate of a light load running throughout.
#
#   bench/rereplication.sh [KEYS]        (default 100000; needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${1:-100000}
PORT=${PORT:-18090}
# REUSE_DATA=DIR measures on a cluster this script filled before (still running on PORT).
DATA=${REUSE_DATA:-$(mktemp -d /tmp/kv-rerepl-XXXX)}
WORK=$(mktemp -d /tmp/kv-rerepl-wrk-XXXX)
API="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
trap 'bin/cluster down --data "$DATA" >/dev/null 2>&1 || true' EXIT

if [[ -z "${REUSE_DATA:-}" ]]; then
bin/cluster up --detach --nodes 3 --port "$PORT" --data "$DATA" | grep -E "UP \(|Java"

# Fill: two wrk threads, each writing its own half of the keys, 100-byte values.
cat >"$WORK/fill.lua" <<EOF
local counter = 0
local thread_id = 0
local threads = 0
setup = function(thread) thread:set("id", threads); threads = threads + 1 end
-- Each round starts where the previous one stopped (its first argument), so keys are all new.
init = function(args) thread_id = id; counter = tonumber(args[1]) end
local body = string.rep("v", 100)
request = function()
  local key = "k" .. thread_id .. "-" .. (counter % ($KEYS / 2))
  counter = counter + 1
  return wrk.format("PUT", "/kv/" .. key, {["Content-Type"]="text/plain"}, body)
end
EOF
echo "Filling $KEYS keys ..."
start=$SECONDS
offset=0
while :; do
    # wrk prints no request count per thread, so each round advances by the keys stored meanwhile.
    wrk -t2 -c32 -d20s -s "$WORK/fill.lua" "$API" -- "$offset" >/dev/null
    total=$(curl -s "$API/nodes" | grep -o '"ownKeys":[0-9]*' | awk -F: '{s += $2} END {print s + 0}')
    echo "  $total keys after $((SECONDS - start)) s"
    # Writes answered 503/504 under the fill's load leave a few gaps; 99.9% is full enough.
    [[ "$total" -ge $((KEYS - KEYS / 1000)) ]] && break
    offset=$((total / 2))
done
fi

# Light client load during the failure: 4 connections, half reads, half writes over the same keys.
cat >"$WORK/mixed.lua" <<EOF
local body = string.rep("w", 100)
request = function()
  local key = "k" .. math.random(0, 1) .. "-" .. math.random(0, $KEYS / 2 - 1)
  if math.random() < 0.5 then
    return wrk.format("GET", "/kv/" .. key)
  end
  return wrk.format("PUT", "/kv/" .. key, {["Content-Type"]="text/plain"}, body)
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("client load: %d requests, %d errors (%.2f%%: non-2xx %d, timeouts %d), p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, errors, 100.0 * errors / math.max(summary.requests, 1), summary.errors.status,
    summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
EOF

wait_for() {  # $1 = grep -E pattern on GET /nodes; prints seconds waited
    local t0=$SECONDS
    until curl -s "$API/nodes" | grep -qE "$1"; do sleep 0.2; done
    echo $((SECONDS - t0))
}
replicated='"oneCopy":0,"noCopy":0\},"migration":\{"change":null'

wrk -t1 -c4 -d90s --timeout 10s -s "$WORK/mixed.lua" "$API" >"$WORK/load-failover.txt" &
load=$!
sleep 5
kill_time=$SECONDS
bin/cluster kill node-2 --data "$DATA" >/dev/null
down=$(wait_for '"id":"node-2","url":"[^"]*","state":"DOWN"')
echo "node-2 killed; declared DOWN after $down s (heartbeat timeout)"
again=$(wait_for "$replicated")
echo "re-replication: every range has two live copies $again s after DOWN ($((SECONDS - kill_time)) s after the kill)"
grep -E "Rebalanced: node-2 is down" "$DATA/logs/coordinator-1.log" | tail -n 1 | sed 's/.*Rebalanced/  coordinator: Rebalanced/'
wait "$load"
cat "$WORK/load-failover.txt" | tail -n 1

wrk -t1 -c4 -d60s --timeout 10s -s "$WORK/mixed.lua" "$API" >"$WORK/load-return.txt" &
load=$!
sleep 5
bin/cluster start node-2 --data "$DATA" | tail -n 1
grep -E "Rebalanced: node-2 joins" "$DATA/logs/coordinator-1.log" | tail -n 1 | sed 's/.*Rebalanced/  coordinator: Rebalanced/'
wait "$load"
cat "$WORK/load-return.txt" | tail -n 1
rm -rf "$WORK"
