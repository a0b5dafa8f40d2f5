-- Returns the fields of every registered worker, by ordinal.
local r = {}
for _, w in ipairs(redis.call('ZRANGE', P .. 'workers', 0, -1)) do
  local v = read_worker(w)
  if v then for i = 1, #v do r[#r + 1] = v[i] end end
end
return r
