-- Shared by every Starling script. KEYS[1] is the network's key prefix, "starling:{<network>}:", so all keys of
-- one network share a hash tag and live in one Redis Cluster slot. Instants are epoch microseconds, passed from the
-- client as strings and written back as those strings (never as Lua numbers, which print in exponent form).
local P = KEYS[1]
local TASK_FIELDS = {'s', 'xs', 'ys', 'w', 'a', 'c', 'st', 'f', 'ek', 'et', 'em', 'es'}
local WORKER_FIELDS = {'id', 'ord', 'host', 'pid', 'started', 'hb', 'exp', 'state', 'stop', 'stopped', 'rec'}

local function task_key(id) return P .. 'task:' .. id end
local function worker_key(w) return P .. 'worker:' .. w end

local function fail_with(message) error('STARLING ' .. message, 0) end

local function setting(name)
  local v = redis.call('HGET', P .. 'settings', name)
  if not v then fail_with('no-network') end
  return v
end

local function read_task(id)
  local v = redis.call('HMGET', task_key(id), unpack(TASK_FIELDS))
  if not v[1] then return nil end
  local r = {tostring(id)}
  for i = 1, #TASK_FIELDS do r[i + 1] = v[i] or '' end
  return r
end

local function read_worker(w)
  local v = redis.call('HMGET', worker_key(w), unpack(WORKER_FIELDS))
  if not v[1] then return nil end
  for i = 1, #WORKER_FIELDS do v[i] = v[i] or '' end
  return v
end

local function worker_state(w)
  local s = redis.call('HGET', worker_key(w), 'state')
  if not s then fail_with('unknown-worker ' .. w) end
  return s
end

local function wake(list, n)
  if n > 64 then n = 64 end
  for _ = 1, n do redis.call('LPUSH', P .. list, '1') end
  redis.call('LTRIM', P .. list, 0, 255)
end

-- Takes n ids within the budget; returns the first id, or nil and the last id when the budget is short.
local function reserve(n)
  local budget = tonumber(setting('budget'))
  local last = tonumber(redis.call('GET', P .. 'seq') or '0')
  if last + n > budget then return nil, last end
  return redis.call('INCRBY', P .. 'seq', n) - n + 1, last
end

-- Writes n tasks from first on, their inputs at ARGV[xs_offset + 1 ..]; reply is a reply channel or ''.
local function write_queued(first, now, xs_offset, n, reply)
  local queue = P .. 'queue'
  for i = 1, n do
    local id = first + i - 1
    if reply == '' then
      redis.call('HSET', task_key(id), 's', 'QUEUED', 'xs', ARGV[xs_offset + i], 'a', '0', 'c', now)
    else
      redis.call('HSET', task_key(id), 's', 'QUEUED', 'xs', ARGV[xs_offset + i], 'a', '0', 'c', now, 'r', reply)
    end
    redis.call('RPUSH', queue, id)
  end
  redis.call('HINCRBY', P .. 'counts', 'queued', n)
  wake('wake', n)
end

local function claim_next(w, now)
  local queue = P .. 'queue'
  while true do
    local id = redis.call('LPOP', queue)
    if not id then return nil end
    local k = task_key(id)
    if redis.call('HGET', k, 's') == 'QUEUED' then
      redis.call('HINCRBY', k, 'a', 1)
      redis.call('HSET', k, 's', 'RUNNING', 'w', w, 'st', now)
      redis.call('SADD', P .. 'running:' .. w, id)
      redis.call('HINCRBY', P .. 'counts', 'queued', -1)
      redis.call('HINCRBY', P .. 'counts', 'running', 1)
      return id
    end
  end
end

-- Claims for a RUNNING worker; a retry carrying the same request id gets the same task back.
local function claim_for(w, now, request)
  if worker_state(w) ~= 'RUNNING' then return nil end
  local wk = worker_key(w)
  local seen = redis.call('HMGET', wk, 'creq', 'cid')
  if seen[1] == request and seen[2] then
    local t = read_task(seen[2])
    if t and t[2] == 'RUNNING' and t[5] == w then return t end
  end
  local id = claim_next(w, now)
  if not id then return nil end
  redis.call('HSET', wk, 'creq', request, 'cid', id)
  return read_task(id)
end

-- Delivers a task that just reached a terminal state to the completion log and to its reply channel, if any.
-- The completion log holds each terminal task packed: its fields (as read_task orders them) joined by the unit
-- separator, which JSON payloads escape and the client strips from error texts. Terminal tasks never change, so an
-- incremental read is one LRANGE with no per-task lookups. A reply channel is a stream, read with XREAD BLOCK.
local function publish(id, state, ys, w, attempt, now, ek, et, em, es)
  local v = redis.call('HMGET', task_key(id), 'xs', 'c', 'st', 'r')
  local packed = table.concat({id, state, v[1], ys or '', w or '', attempt, v[2], v[3] or '', now,
    ek or '', et or '', em or '', es or ''}, '\31')
  redis.call('RPUSH', P .. 'done', packed)
  redis.call('LPUSH', P .. 'donewake', '1')
  redis.call('LTRIM', P .. 'donewake', 0, 15)
  if v[4] then redis.call('XADD', P .. 'reply:' .. v[4], '*', 't', packed) end
end

-- Moves a task from RUNNING under lease (w, attempt) to FINISHED or FAILED; 0 when the lease lost the race.
local function complete(id, w, attempt, state, now, ys, ek, et, em, es)
  local k = task_key(id)
  local cur = redis.call('HMGET', k, 's', 'w', 'a')
  if cur[1] ~= 'RUNNING' or cur[2] ~= w or cur[3] ~= attempt then return 0 end
  if state == 'FINISHED' then
    redis.call('HSET', k, 's', state, 'ys', ys, 'f', now)
    redis.call('HINCRBY', P .. 'counts', 'finished', 1)
  else
    redis.call('HSET', k, 's', state, 'f', now, 'ek', ek, 'et', et, 'em', em, 'es', es)
    redis.call('HINCRBY', P .. 'counts', 'failed', 1)
  end
  redis.call('HINCRBY', P .. 'counts', 'running', -1)
  redis.call('SREM', P .. 'running:' .. w, id)
  publish(id, state, ys, w, attempt, now, ek, et, em, es)
  return 1
end

-- Moves a QUEUED or RUNNING task to CANCELLED; 0 when it is unknown or already terminal. A queued task's id stays
-- in the queue, where claims skip it.
local function cancel(id, now)
  local k = task_key(id)
  local cur = redis.call('HMGET', k, 's', 'w', 'a')
  if cur[1] == 'QUEUED' then
    redis.call('HINCRBY', P .. 'counts', 'queued', -1)
  elseif cur[1] == 'RUNNING' then
    redis.call('HINCRBY', P .. 'counts', 'running', -1)
    redis.call('SREM', P .. 'running:' .. cur[2], id)
  else
    return 0
  end
  redis.call('HSET', k, 's', 'CANCELLED', 'f', now)
  redis.call('HINCRBY', P .. 'counts', 'cancelled', 1)
  publish(id, 'CANCELLED', '', cur[2], cur[3], now)
  return 1
end

-- Moves a RUNNING worker to a terminal state and recovers its running tasks.
local function retire(w, target, now)
  local wk = worker_key(w)
  local applied = 0
  if worker_state(w) == 'RUNNING' then
    redis.call('HSET', wk, 'state', target, 'stopped', now)
    applied = 1
  end
  local max = tonumber(setting('maxAttempts'))
  local requeued, failed = 0, 0
  local running = P .. 'running:' .. w
  for _, id in ipairs(redis.call('SMEMBERS', running)) do
    local k = task_key(id)
    local cur = redis.call('HMGET', k, 's', 'w', 'a')
    if cur[1] == 'RUNNING' and cur[2] == w then
      if tonumber(cur[3]) >= max then
        complete(id, w, cur[3], 'FAILED', now, '', 'WORKER_LOST', 'worker lost',
          "worker '" .. w .. "' was lost while running this task; no attempts left after " .. cur[3], '')
        failed = failed + 1
      else
        redis.call('HSET', k, 's', 'QUEUED')
        redis.call('HDEL', k, 'w', 'st')
        redis.call('RPUSH', P .. 'queue', id)
        redis.call('HINCRBY', P .. 'counts', 'queued', 1)
        redis.call('HINCRBY', P .. 'counts', 'running', -1)
        requeued = requeued + 1
      end
    end
  end
  redis.call('DEL', running)
  if requeued + failed > 0 then redis.call('HINCRBY', wk, 'rec', requeued + failed) end
  if requeued > 0 then wake('wake', requeued) end
  return {applied, requeued, failed}
end
