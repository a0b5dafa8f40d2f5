-- ARGV: worker, host, pid, now ('' for the server's clock), expiry (microseconds), tags (comma-joined). Returns the
-- worker's fields.
local w = ARGV[1]
local now = server_time(ARGV[4])
setting('seed')
for i = 1, 6 do
  if string.find(ARGV[i], '[%c]') then fail_with('bad-worker-field ' .. i) end
end
if redis.call('HEXISTS', K.worker, w) == 1 then fail_with('duplicate-worker ' .. w) end
local ord = redis.call('INCR', K.ordinal)
save_worker(w, {w, tostring(ord), ARGV[2], ARGV[3], now, now, ARGV[5], 'RUNNING', 'NONE', '', '0', ARGV[6], '', '', '',
  ''})
redis.call('ZADD', K.workers, ord, w)
return read_worker(w)
