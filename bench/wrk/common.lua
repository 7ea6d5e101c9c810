-- Shared by the bench/wrk scripts: each loads it with dofile (the etcd ones through etcd.lua) and
-- adds only its request(). Every script takes the same arguments after `--`:
--
--   wrk ... -s bench/wrk/<script>.lua URL -- PREFIX COUNT [THREADS]
--
-- PREFIX and COUNT name the key space, PREFIX .. "0" up to PREFIX .. (COUNT - 1) (e.g. hot/k 10000);
-- THREADS (wrk's -t) is needed only by the fill scripts, which split the keys between the threads.
-- done() prints one machine-readable line, `wrk-result key=value ...`, that bench/run parses.

-- The value every write stores: 100 bytes.
VALUE = string.rep("v", 100)

local threads = 0
function setup(thread)                   -- main Lua state, once per thread before it starts
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)                      -- the thread's own Lua state (each thread has one)
  prefix, count, nthreads = args[1], tonumber(args[2]), tonumber(args[3] or 1)
  assert(prefix and count, "arguments: PREFIX COUNT [THREADS]")
  -- Seeded per thread, so the threads do not all draw the same keys.
  math.randomseed(os.time() * 1000 + id * 7919)
end

function key(i) return prefix .. i end
function random_index() return math.random(0, count - 1) end

-- Fill: each key of this thread's share (i = id, id + THREADS, ...) written exactly once by
-- `write(i)`. Once the share is sent, request() returns an empty request, which leaves that
-- connection idle; when every answer is in, the thread prints `fill-done` and stops. (wrk itself
-- still waits out -d: bench/run interrupts it once every thread has said fill-done.)
function fill(write)
  local sent, answered, share = 0, 0, nil
  local function finished()
    io.write("fill-done\n"); io.flush()
    wrk.thread:stop()
  end
  local checked = false
  request = function()
    -- wrk calls thread 0's request() once before it starts, to check the request parses, and never
    -- sends that one: answer it without using up a key. (`id` is set only after this file has run.)
    if id == 0 and not checked then checked = true; return write(id) end
    if not share then
      share = math.max(0, math.floor((count - 1 - id) / nthreads) + 1)
      if share == 0 then finished() end
    end
    if sent >= share then return "" end
    sent = sent + 1
    return write(id + (sent - 1) * nthreads)
  end
  response = function(status)
    answered = answered + 1
    -- Progress and failures as they happen, for bench/run to watch (it gives up on a stalled fill).
    if status >= 300 then io.write("fill-error ", status, "\n"); io.flush() end
    if answered % 1000 == 0 then io.write("fill-progress ", id, " ", answered, "\n"); io.flush() end
    if answered == share then finished() end
  end
end

-- The result line. Errors: socket errors (connect, read, write, timeout) plus answers with a
-- status above 399 (wrk's summary.errors.status; 200, 201 and 204 are fine).
function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format(
    "wrk-result requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d"
      .. " connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors,
    e.connect, e.read, e.write, e.timeout, e.status))
end
