-- ARGV: now, minimum interval (microseconds), contact since. Retires RUNNING workers whose heartbeat expired as LOST,
-- unless a sweep ran less than the interval ago. A heartbeat counts from "contact since" on, the start of the
-- sweeper's stretch of steady contact with the store: heartbeats nobody could write while the store was unreachable
-- make nobody lost. Returns {worker, requeued, failed, ...} for each worker retired here.
local now, interval, since = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local last = redis.call('GET', P .. 'sweep')
if last and interval > 0 and tonumber(last) + interval > now then return {} end
redis.call('SET', P .. 'sweep', ARGV[1])
local r = {}
for _, w in ipairs(redis.call('ZRANGE', P .. 'workers', 0, -1)) do
  local v = redis.call('HMGET', worker_key(w), 'state', 'hb', 'exp')
  if v[1] == 'RUNNING' and math.max(tonumber(v[2]), since) + tonumber(v[3]) < now then
    local out = retire(w, 'LOST', ARGV[1])
    if out[1] == 1 then
      r[#r + 1] = w
      r[#r + 1] = out[2]
      r[#r + 1] = out[3]
    end
  end
end
commit()
return r
