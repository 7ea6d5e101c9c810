-- mixed: half PUTs (100-byte text/plain values), half GETs, of random keys of the key space
-- (args PREFIX COUNT).
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")

request = function()
  local path = "/kv/" .. key(random_index())
  if math.random() < 0.5 then return wrk.format("GET", path) end
  return wrk.format("PUT", path, {["Content-Type"] = "text/plain"}, VALUE)
end
