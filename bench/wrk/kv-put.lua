-- put: PUT a random key of the key space (args PREFIX COUNT), a 100-byte text/plain value.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")

request = function()
  return wrk.format("PUT", "/kv/" .. key(random_index()), {["Content-Type"] = "text/plain"}, VALUE)
end
