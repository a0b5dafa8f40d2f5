-- ARGV: worker, then (id, attempt) pairs. Moves each task still RUNNING under that lease back to the front of the
-- queue, its attempt uncounted. Returns how many moved.
local w = ARGV[1]
local released = 0
for i = #ARGV - 1, 2, -2 do
  local id, attempt = ARGV[i], ARGV[i + 1]
  local k = task_key(id)
  local cur = redis.call('HMGET', k, 's', 'w', 'a')
  if cur[1] == 'RUNNING' and cur[2] == w and cur[3] == attempt then
    redis.call('HSET', k, 's', 'QUEUED', 'a', tonumber(attempt) - 1)
    redis.call('HDEL', k, 'w', 'st')
    redis.call('SREM', P .. 'running:' .. w, id)
    requeue(id, redis.call('HGET', k, 'rt'), true)
    redis.call('HINCRBY', P .. 'counts', 'queued', 1)
    redis.call('HINCRBY', P .. 'counts', 'running', -1)
    released = released + 1
  end
end
return released
