-- ARGV: channel, id_1 .. id_n. Points each task's completion to the channel (unless it is terminal already) and
-- returns the tasks' fields, one task after another; unknown ids are left out.
local r = {}
for i = 2, #ARGV do
  local t = read_task(ARGV[i])
  if t then
    if t[2] == 'QUEUED' or t[2] == 'RUNNING' then redis.call('HSET', task_key(ARGV[i]), 'r', ARGV[1]) end
    for j = 1, #t do r[#r + 1] = t[j] end
  end
end
return r
