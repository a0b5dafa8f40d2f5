-- ARGV: worker, host, pid, now ('' for the server's clock), expiry (microseconds), tags (comma-joined). Returns the
-- worker's fields.
local w = ARGV[1]
local now = server_time(ARGV[4])
local wk = worker_key(w)
setting('seed')
if redis.call('EXISTS', wk) == 1 then fail_with('duplicate-worker ' .. w) end
local ord = redis.call('INCR', P .. 'ordinal')
redis.call('HSET', wk, 'id', w, 'ord', ord, 'host', ARGV[2], 'pid', ARGV[3], 'started', now, 'hb', now,
  'exp', ARGV[5], 'state', 'RUNNING', 'stop', 'NONE', 'rec', '0', 'tags', ARGV[6])
redis.call('ZADD', P .. 'workers', ord, w)
return read_worker(w)
