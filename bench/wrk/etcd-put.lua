-- put: etcd put (POST /v3/kv/put) of a random key of the key space (args PREFIX COUNT), 100 bytes.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "etcd.lua")

request = function() return etcd_put(random_index()) end
