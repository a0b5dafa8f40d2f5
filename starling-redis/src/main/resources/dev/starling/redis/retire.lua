-- KEYS: the fixed keys, then the reply streams of the open channels. ARGV: worker, state, now. Returns {applied 0|1,
-- requeued, failed}.
local w = ARGV[1]
local v = registered(w)
local tasks = running_tasks(w)
replies_declared(records_of(tasks))
local r = retire(w, v, tasks, ARGV[2], ARGV[3])
commit()
return r
