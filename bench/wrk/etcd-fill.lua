-- Preload of etcd through its JSON gateway: put every key of the key space once, 100-byte values;
-- args PREFIX COUNT THREADS (see common.lua; etcd.lua builds the requests).
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "etcd.lua")

fill(etcd_put)
