-- ARGV: worker, now, xs, request. Creates a task RUNNING under the worker, within the budget.
-- Returns the id; -1 when the budget is used up; 0 when the worker is not RUNNING.
local w = ARGV[1]
if worker_state(w) ~= 'RUNNING' then return 0 end
local wk = worker_key(w)
local seen = redis.call('HMGET', wk, 'preq', 'pid_')
if seen[1] == ARGV[4] and seen[2] then return tonumber(seen[2]) end
local id = reserve(1)
if not id then return -1 end
redis.call('HSET', task_key(id), 's', 'RUNNING', 'xs', ARGV[3], 'w', w, 'a', '1', 'c', ARGV[2], 'st', ARGV[2])
redis.call('SADD', P .. 'running:' .. w, id)
redis.call('HINCRBY', P .. 'counts', 'running', 1)
redis.call('HSET', wk, 'preq', ARGV[4], 'pid_', id)
return id
