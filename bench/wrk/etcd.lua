-- The etcd side of the bench/wrk scripts (the etcd-*.lua ones load this instead of common.lua):
-- requests to etcd's JSON gateway (grpc-gateway), which takes keys and values in base64.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")

-- Base64 (RFC 4648, padded) of a string; plain Lua 5.1, no bit library.
local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local d1, d2 = math.floor(n / 262144) % 64, math.floor(n / 4096) % 64
    local d3, d4 = math.floor(n / 64) % 64, n % 64
    out[#out + 1] = B64:sub(d1 + 1, d1 + 1) .. B64:sub(d2 + 1, d2 + 1)
        .. (b and B64:sub(d3 + 1, d3 + 1) or "=") .. (c and B64:sub(d4 + 1, d4 + 1) or "=")
  end
  return table.concat(out)
end

local JSON = {["Content-Type"] = "application/json"}
local value64, keys64 = base64(VALUE), {}

-- Every key's base64 is computed once, before the thread starts sending.
local common_init = init
function init(args)
  common_init(args)
  for i = 0, count - 1 do keys64[i] = base64(key(i)) end
end

function etcd_put(i)
  return wrk.format("POST", "/v3/kv/put", JSON, '{"key":"' .. keys64[i] .. '","value":"' .. value64 .. '"}')
end

function etcd_get(i)
  return wrk.format("POST", "/v3/kv/range", JSON, '{"key":"' .. keys64[i] .. '"}')
end
