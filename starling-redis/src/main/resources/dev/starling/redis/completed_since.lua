-- ARGV: cursor, limit. Returns {next cursor, task fields...} for tasks that completed after the cursor, in order.
local cursor, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local ids = redis.call('LRANGE', P .. 'done', cursor, cursor + limit - 1)
local r = {cursor + #ids}
for _, id in ipairs(ids) do
  local t = read_task(id)
  if t then for i = 1, #t do r[#r + 1] = t[i] end end
end
return r
