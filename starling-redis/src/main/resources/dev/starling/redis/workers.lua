-- Returns the fields of every registered worker, by ordinal.
local r = {}
for _, w in ipairs(redis.call('ZRANGE', K.workers, 0, -1)) do
  local v = read_worker(w)
  if v then append_task(r, v) end
end
return r
