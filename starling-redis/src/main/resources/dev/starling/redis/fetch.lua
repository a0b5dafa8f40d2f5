-- ARGV: state, QUEUED or RUNNING (the client reads terminal tasks from the completion log). Returns every task in
-- that state, packed like the completion log: QUEUED in queue order (routed queues first), RUNNING by id.
local state = ARGV[1]
local ids = {}
if state == 'QUEUED' then
  for _, m in ipairs(redis.call('ZRANGE', K.rq, 0, -1)) do ids[#ids + 1] = member_id(m) end
  for _, id in ipairs(redis.call('LRANGE', K.queue, 0, -1)) do ids[#ids + 1] = id end
elseif state == 'RUNNING' then
  for _, m in ipairs(redis.call('ZRANGE', K.running, 0, -1)) do
    ids[#ids + 1] = tonumber(member_id(m))
  end
  table.sort(ids)
end
local r, seen = {}, {}
for _, id in ipairs(ids) do
  local t = read_task(id)
  if t and t[2] == state and not seen[t[1]] then
    seen[t[1]] = true
    r[#r + 1] = table.concat(t, SEP)
  end
end
return r
