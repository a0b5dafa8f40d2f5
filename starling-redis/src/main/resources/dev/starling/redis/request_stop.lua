-- ARGV: worker, request (TERMINATE or KILL). Raises the stop request of a RUNNING worker; never lowers it.
local rank = {NONE = 0, TERMINATE = 1, KILL = 2}
local v = redis.call('HMGET', worker_key(ARGV[1]), 'state', 'stop')
if v[1] == 'RUNNING' and rank[ARGV[2]] > rank[v[2]] then
  redis.call('HSET', worker_key(ARGV[1]), 'stop', ARGV[2])
end
return 1
