-- KEYS: the fixed keys, then the wake-up lists of the worker's routes. ARGV: worker, then (id, attempt) pairs. Moves
-- each task still RUNNING under that lease back to the front of its queue, its attempt uncounted. Returns how many
-- moved.
local w = ARGV[1]
local released = 0
for i = #ARGV - 1, 2, -2 do
  local id, attempt = ARGV[i], ARGV[i + 1]
  local t = leased(id, w, attempt)
  if t then
    t[T.s], t[T.a], t[T.w], t[T.st] = 'QUEUED', tostring(tonumber(attempt) - 1), '', ''
    save_task(id, t)
    redis.call('ZREM', K.running, w .. SEP .. id)
    requeue(id, t[T.rt], true)
    redis.call('HINCRBY', K.counts, 'queued', 1)
    redis.call('HINCRBY', K.counts, 'running', -1)
    released = released + 1
  end
end
return released
