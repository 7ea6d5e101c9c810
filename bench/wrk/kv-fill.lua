-- Preload of our store (and the baseline's API): PUT every key of the key space once, 100-byte
-- text/plain values; args PREFIX COUNT THREADS (see common.lua).
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")

fill(function(i)
  return wrk.format("PUT", "/kv/" .. key(i), {["Content-Type"] = "text/plain"}, VALUE)
end)
