-- ARGV: now ('' for the server's clock), minimum interval (microseconds), steady contact (microseconds). Retires
-- RUNNING workers whose heartbeat expired as LOST, unless a sweep ran less than the interval ago. A heartbeat counts
-- from the start of the sweeper's stretch of steady contact with the store on, "steady contact" before now:
-- heartbeats nobody could write while the store was unreachable make nobody lost. The stretch is a duration, not an
-- instant of the sweeper's clock, so a sweeper whose clock is off judges as well as any. Returns {worker, requeued,
-- failed, ...} for each worker retired here.
local now_text = server_time(ARGV[1])
local now, interval = tonumber(now_text), tonumber(ARGV[2])
local since = now - tonumber(ARGV[3])
local last = redis.call('GET', P .. 'sweep')
if last and interval > 0 and tonumber(last) + interval > now then return {} end
redis.call('SET', P .. 'sweep', now_text)
local r = {}
for _, w in ipairs(redis.call('ZRANGE', P .. 'workers', 0, -1)) do
  local v = redis.call('HMGET', worker_key(w), 'state', 'hb', 'exp')
  if v[1] == 'RUNNING' and math.max(tonumber(v[2]), since) + tonumber(v[3]) < now then
    local out = retire(w, 'LOST', now_text)
    if out[1] == 1 then
      r[#r + 1] = w
      r[#r + 1] = out[2]
      r[#r + 1] = out[3]
    end
  end
end
commit()
return r
