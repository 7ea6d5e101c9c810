-- get-hit / get-miss: GET a random key of the key space (args PREFIX COUNT): the hot set, which
-- the coordinator's cache holds, or the cold set, which is many times larger than the cache.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")

request = function()
  return wrk.format("GET", "/kv/" .. key(random_index()))
end
