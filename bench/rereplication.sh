#!/usr/bin/env bash
# Measures re-replication and hand-back: fills a local cluster with KEYS keys of 100 bytes, kills
# node-2, times how long until every range has two live copies again, restarts node-2, times the
# hand-back, and reports the client error rate of a light load running throughout.
#
#   bench/rereplication.sh [KEYS]        (default 100000; needs wrk: apt-get install wrk)
#
# WAIT (default 300) is how many seconds it waits at most for each step: DOWN, the failover's
# rebalance, the hand-back's rebalance.
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${1:-100000}
PORT=${PORT:-18090}
WAIT=${WAIT:-300}
LOAD_TIMEOUT=10s   # wrk's --timeout for the client load
# REUSE_DATA=DIR measures on a cluster this script filled before (still running on PORT).
DATA=${REUSE_DATA:-$(mktemp -d /tmp/kv-rerepl-XXXX)}
WORK=$(mktemp -d /tmp/kv-rerepl-wrk-XXXX)
API="http://127.0.0.1:$PORT"
LOG="$DATA/logs/coordinator-1.log"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
load=""
# A wrk left running would go on knocking at a stopped coordinator (refused connections) until its -d.
trap '[[ -z "$load" ]] || kill "$load" 2>/dev/null || true; bin/cluster down --data "$DATA" >/dev/null 2>&1 || true' EXIT

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
# Its error rate is the answers that are not 2xx over the answers (summary.requests, the requests
# answered). wrk's socket errors (connect, read, write) are not requests: it counts one per attempt
# (a refused connect; with wrk 4.1.0 also every connection the server closes), and reconnects at
# once, so they can outnumber the requests many times over (adding them to the non-2xx once gave
# 10,025%); they are reported apart, as counts. (wrk's errors.status counts only statuses above 399.)
# Every thread counts in its own Lua state; done() adds up the counts of all of them.
cat >"$WORK/mixed.lua" <<EOF
local threads = {}
setup = function(thread) table.insert(threads, thread) end
non2xx = 0
codes = {}
local body = string.rep("w", 100)
request = function()
  local key = "k" .. math.random(0, 1) .. "-" .. math.random(0, $KEYS / 2 - 1)
  if math.random() < 0.5 then
    return wrk.format("GET", "/kv/" .. key)
  end
  return wrk.format("PUT", "/kv/" .. key, {["Content-Type"]="text/plain"}, body)
end
response = function(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    codes[status] = (codes[status] or 0) + 1
  end
end
done = function(summary, latency, requests)
  local bad, by_code = 0, {}
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    for status, n in pairs(thread:get("codes")) do by_code[status] = (by_code[status] or 0) + n end
  end
  local statuses, list = {}, {}
  for status in pairs(by_code) do table.insert(statuses, status) end
  table.sort(statuses)
  for _, status in ipairs(statuses) do table.insert(list, string.format("%d %ds", by_code[status], status)) end
  local e = summary.errors
  io.write(string.format("%d requests, %d not 2xx (%.2f%%%s), %d answered after the $LOAD_TIMEOUT timeout;"
      .. " socket errors: %d connect, %d read, %d write; p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, bad, 100.0 * bad / math.max(summary.requests, 1),
    #list > 0 and (": " .. table.concat(list, ", ")) or "", e.timeout,
    e.connect, e.read, e.write, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
EOF

wait_for() {  # $1 = grep -E pattern on GET /nodes; prints seconds waited
    local t0=$SECONDS
    until curl -s "$API/nodes" | grep -qE "$1"; do
        if ((SECONDS - t0 >= WAIT)); then echo "GET /nodes does not match '$1' after $WAIT s" >&2; return 1; fi
        sleep 0.2
    done
    echo $((SECONDS - t0))
}
log_size() { wc -c <"$LOG" | tr -d ' '; }
# $1 = grep -E pattern, $2 = a byte offset in the coordinator's log: waits up to WAIT s for a line
# matching it written after that offset (so not one of an earlier change, or of an earlier run with
# REUSE_DATA), and prints the last such line.
wait_log() {
    local t0=$SECONDS line
    until line=$(tail -c +"$(($2 + 1))" "$LOG" | grep -E "$1" | tail -n 1) && [[ -n "$line" ]]; do
        if ((SECONDS - t0 >= WAIT)); then echo "no line matching '$1' in $LOG after $WAIT s" >&2; return 1; fi
        sleep 0.2
    done
    echo "$line"
}
replicated='"oneCopy":0,"noCopy":0\},"migration":\{"change":null'

wrk -t1 -c4 -d90s --timeout "$LOAD_TIMEOUT" -s "$WORK/mixed.lua" "$API" >"$WORK/load-failover.txt" &
load=$!
sleep 5
kill_time=$SECONDS
since=$(log_size)
bin/cluster kill node-2 --data "$DATA" >/dev/null
down=$(wait_for '"id":"node-2","url":"[^"]*","state":"DOWN"')
echo "node-2 killed; declared DOWN after $down s (heartbeat timeout)"
again=$(wait_for "$replicated")
echo "re-replication: every range has two live copies $again s after DOWN ($((SECONDS - kill_time)) s after the kill)"
wait_log "Rebalanced: node-2 is down" "$since" | sed 's/.*Rebalanced/  coordinator: Rebalanced/'
wait "$load"
load=""
echo "failover client load: $(tail -n 1 "$WORK/load-failover.txt")"

wrk -t1 -c4 -d60s --timeout "$LOAD_TIMEOUT" -s "$WORK/mixed.lua" "$API" >"$WORK/load-return.txt" &
load=$!
sleep 5
start_time=$SECONDS
since=$(log_size)
bin/cluster start node-2 --data "$DATA" | tail -n 1
up_time=$SECONDS
# 'start' returns once the coordinator lists node-2 UP, which it does from the join's cut-over on: the
# join's "Rebalanced" line comes after its drops, so later.
joined=$(wait_log "Rebalanced: node-2 joins" "$since")
echo "hand-back: rebalanced $((SECONDS - up_time)) s after node-2 was UP ($((SECONDS - start_time)) s after 'start')"
echo "  coordinator: Rebalanced${joined#*Rebalanced}"
wait "$load"
load=""
echo "hand-back client load: $(tail -n 1 "$WORK/load-return.txt")"
rm -rf "$WORK"
