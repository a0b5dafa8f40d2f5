-- ARGV: worker, now, xs, request number. Creates a task RUNNING under the worker, within the budget.
-- Returns the id; -1 when the budget is used up; 0 when the worker is not RUNNING; -2 for a late copy of an older
-- request, which creates nothing. A retry of the same request returns the task it created while that still runs
-- under the worker (with the inputs of the first try).
local w = ARGV[1]
local v = registered(w)
if v[W.state] ~= 'RUNNING' then return 0 end
local order = request_order(v, ARGV[4], W.preq)
if order == 'late' then return -2 end
if order == 'again' and v[W.pid_] ~= '' and running_under(v[W.pid_], w) then return tonumber(v[W.pid_]) end
local id = reserve(1)
if not id then
  v[W.preq], v[W.pid_] = ARGV[4], ''
  save_worker(w, v)
  return -1
end
save_task(id, new_task('RUNNING', ARGV[3], w, '1', ARGV[2], ARGV[2]))
running_add(w, {id})
redis.call('HINCRBY', K.counts, 'running', 1)
v[W.preq], v[W.pid_] = ARGV[4], tostring(id)
save_worker(w, v)
return id
