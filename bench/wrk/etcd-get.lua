-- get-hit / get-miss: etcd range (POST /v3/kv/range, linearizable, etcd's default) of a random key
-- of the key space (args PREFIX COUNT). etcd has no cache: the two differ only in the key space.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "etcd.lua")

request = function() return etcd_get(random_index()) end
