-- ARGV: worker, now, xs, request. Creates a task RUNNING under the worker, within the budget.
-- Returns the id; -1 when the budget is used up; 0 when the worker is not RUNNING.
local w = ARGV[1]
local v = registered(w)
if v[W.state] ~= 'RUNNING' then return 0 end
if v[W.preq] == ARGV[4] and v[W.pid_] ~= '' then return tonumber(v[W.pid_]) end
local id = reserve(1)
if not id then return -1 end
save_task(id, new_task('RUNNING', ARGV[3], w, '1', ARGV[2], ARGV[2]))
running_add(w, {id})
redis.call('HINCRBY', K.counts, 'running', 1)
v[W.preq], v[W.pid_] = ARGV[4], tostring(id)
save_worker(w, v)
return id
