-- KEYS: the fixed keys, then the reply streams of the open channels. ARGV: now ('' for the server's clock), minimum
-- interval (microseconds), steady contact (microseconds). Retires RUNNING workers whose heartbeat expired as LOST,
-- unless a sweep ran less than the interval ago. A heartbeat counts from the start of the sweeper's stretch of steady
-- contact with the store on, "steady contact" before now: heartbeats nobody could write while the store was
-- unreachable make nobody lost. The stretch is a duration, not an instant of the sweeper's clock, so a sweeper whose
-- clock is off judges as well as any. Returns {worker, requeued, failed, ...} for each worker retired here.
local now_text = server_time(ARGV[1])
local now, interval = tonumber(now_text), tonumber(ARGV[2])
local since = now - tonumber(ARGV[3])
local last = redis.call('GET', K.sweep)
if last and interval > 0 and tonumber(last) + interval > now then return {} end
-- Find the lost and what they ran before writing anything, so that a call missing a reply stream changes nothing.
local lost, records = {}, {}
for _, w in ipairs(redis.call('ZRANGE', K.workers, 0, -1)) do
  local v = load_worker(w)
  if v and v[W.state] == 'RUNNING' and math.max(tonumber(v[W.hb]), since) + tonumber(v[W.exp]) < now then
    local tasks = running_tasks(w)
    lost[#lost + 1] = {w, v, tasks}
    for _, pair in ipairs(tasks) do records[#records + 1] = pair[2] end
  end
end
replies_declared(records)
redis.call('SET', K.sweep, now_text)
local r = {}
for _, one in ipairs(lost) do
  local out = retire(one[1], one[2], one[3], 'LOST', now_text)
  if out[1] == 1 then
    r[#r + 1] = one[1]
    r[#r + 1] = out[2]
    r[#r + 1] = out[3]
  end
end
commit()
return r
