-- ARGV: state, QUEUED or RUNNING (the client reads terminal tasks from the completion log). Returns every task in
-- that state, packed like the completion log: QUEUED in queue order, RUNNING by id.
local state = ARGV[1]
local ids = {}
if state == 'QUEUED' then
  for _, route in ipairs(redis.call('SMEMBERS', P .. 'routes')) do
    for _, id in ipairs(redis.call('LRANGE', queue_key(route), 0, -1)) do ids[#ids + 1] = id end
  end
  for _, id in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do ids[#ids + 1] = id end
elseif state == 'RUNNING' then
  for _, w in ipairs(redis.call('ZRANGE', P .. 'workers', 0, -1)) do
    for _, id in ipairs(redis.call('SMEMBERS', P .. 'running:' .. w)) do ids[#ids + 1] = tonumber(id) end
  end
  table.sort(ids)
end
local r, seen = {}, {}
for _, id in ipairs(ids) do
  local t = read_task(id)
  if t and t[2] == state and not seen[t[1]] then
    seen[t[1]] = true
    r[#r + 1] = table.concat(t, '\31')
  end
end
return r
