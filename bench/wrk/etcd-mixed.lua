-- mixed: half etcd puts (100-byte values), half ranges, of random keys (args PREFIX COUNT).
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "etcd.lua")

request = function()
  local i = random_index()
  if math.random() < 0.5 then return etcd_get(i) end
  return etcd_put(i)
end
