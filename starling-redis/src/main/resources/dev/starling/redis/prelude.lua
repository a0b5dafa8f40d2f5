-- Shared by every Starling script. KEYS[1] is the network's key prefix, "starling:{<network>}:", so all keys of
-- one network share a hash tag and live in one Redis Cluster slot. Instants are epoch microseconds, passed from the
-- client as strings and written back as those strings (never as Lua numbers, which print in exponent form).
local P = KEYS[1]
local TASK_FIELDS = {'s', 'xs', 'ys', 'w', 'a', 'c', 'st', 'f', 'ek', 'et', 'em', 'es'}
local WORKER_FIELDS = {'id', 'ord', 'host', 'pid', 'started', 'hb', 'exp', 'state', 'stop', 'stopped', 'rec',
  'tags'}

local function task_key(id) return P .. 'task:' .. id end
local function worker_key(w) return P .. 'worker:' .. w end

local function fail_with(message) error('STARLING ' .. message, 0) end

-- The instant given by the client, or, when it gives '', the server's own clock (TIME): heartbeats are stamped and
-- judged by the one clock every machine shares, so workers whose clocks differ never make each other look lost.
local function server_time(given)
  if given ~= '' then return given end
  local t = redis.call('TIME')
  return t[1] .. string.format('%06d', tonumber(t[2]))
end

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

local TOKENS = {'1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1'}

-- Wakes up to n blocked readers of a wake-up list (at most 16 at once; a woken reader claims many).
local function wake(list, n)
  if n > #TOKENS then n = #TOKENS end
  redis.call('LPUSH', P .. list, unpack(TOKENS, 1, n))
  redis.call('LTRIM', P .. list, 0, 63)
end

-- Calls a variadic command on key with values, in slices small enough for unpack.
local function variadic(command, key, values)
  for i = 1, #values, 1000 do
    redis.call(command, key, unpack(values, i, math.min(#values, i + 999)))
  end
end

-- What a script changes in bulk is gathered here while it runs and written once by commit(): counts, running-set
-- removals, completion-log entries and replies. Every script that claims or completes a task ends with commit().
local pending = {counts = {}, srem = {}, done = {}, replies = {}}

local function count(field, n)
  pending.counts[field] = (pending.counts[field] or 0) + n
end

local function commit()
  local done = pending.done
  if #done > 0 then
    -- The completion log holds each terminal task packed: its fields (as read_task orders them) joined by the unit
    -- separator, which JSON payloads escape and the client strips from error texts. Terminal tasks never change,
    -- so an incremental read is one LRANGE with no per-task lookups.
    variadic('RPUSH', P .. 'done', done)
    redis.call('LPUSH', P .. 'donewake', '1')
    redis.call('LTRIM', P .. 'donewake', 0, 15)
  end
  -- A reply channel is a stream, read with XREAD BLOCK; one entry carries all of this script's completions for
  -- it, joined by the record separator.
  for channel, packed in pairs(pending.replies) do
    redis.call('XADD', P .. 'reply:' .. channel, '*', 't', table.concat(packed, '\30'))
  end
  for w, ids in pairs(pending.srem) do variadic('SREM', P .. 'running:' .. w, ids) end
  for field, n in pairs(pending.counts) do
    if n ~= 0 then redis.call('HINCRBY', P .. 'counts', field, n) end
  end
  pending = {counts = {}, srem = {}, done = {}, replies = {}}
end

-- Takes n ids within the budget; returns the first id, or nil and the last id when the budget is short.
local function reserve(n)
  local budget = tonumber(setting('budget'))
  local last = tonumber(redis.call('GET', P .. 'seq') or '0')
  if last + n > budget then return nil, last end
  return redis.call('INCRBY', P .. 'seq', n) - n + 1, last
end

-- The queue and wake-up list of a route key ('' for any worker, 'w:ID' for a worker, 't:TAG' for a tag).
local function queue_key(route)
  if route == nil or route == false or route == '' then return P .. 'queue' end
  return P .. 'queue:' .. route
end

local function wake_key(route)
  if route == nil or route == false or route == '' then return 'wake' end
  return 'wake:' .. route
end

-- Puts a task that was queued before (recovered or released) back on its route's queue; front puts it first.
local function requeue(id, route, front)
  redis.call(front and 'LPUSH' or 'RPUSH', queue_key(route), id)
  wake(wake_key(route), 1)
end

-- Writes n tasks from first on, their inputs at ARGV[xs_offset + 1 ..] and, when routes_offset is given, their
-- route keys at ARGV[routes_offset + 1 ..]; reply is a reply channel or ''.
local function write_queued(first, now, xs_offset, n, reply, routes_offset)
  local by_route = {}
  for i = 1, n do
    local id = first + i - 1
    local route = routes_offset and ARGV[routes_offset + i] or ''
    local k = task_key(id)
    if reply == '' and route == '' then
      redis.call('HSET', k, 's', 'QUEUED', 'xs', ARGV[xs_offset + i], 'a', '0', 'c', now)
    elseif route == '' then
      redis.call('HSET', k, 's', 'QUEUED', 'xs', ARGV[xs_offset + i], 'a', '0', 'c', now, 'r', reply)
    elseif reply == '' then
      redis.call('HSET', k, 's', 'QUEUED', 'xs', ARGV[xs_offset + i], 'a', '0', 'c', now, 'rt', route)
    else
      redis.call('HSET', k, 's', 'QUEUED', 'xs', ARGV[xs_offset + i], 'a', '0', 'c', now, 'r', reply, 'rt', route)
    end
    local ids = by_route[route]
    if not ids then
      ids = {}
      by_route[route] = ids
    end
    ids[#ids + 1] = id
  end
  for route, ids in pairs(by_route) do
    variadic('RPUSH', queue_key(route), ids)
    if route ~= '' then redis.call('SADD', P .. 'routes', route) end
    wake(wake_key(route), #ids)
  end
  redis.call('HINCRBY', P .. 'counts', 'queued', n)
end

local function append_task(r, t)
  for i = 1, #t do r[#r + 1] = t[i] end
end

-- Moves up to max QUEUED tasks to RUNNING under w — from the worker's own route, then its tags' routes (tags is
-- the worker's comma-joined tags), then the shared queue — and returns their ids and their fields (as read_task
-- orders them), one task after another. Ids of tasks no longer QUEUED (cancelled) are dropped.
local function claim_next(w, now, max, tags)
  local routes = {'w:' .. w}
  if tags and tags ~= '' then
    for tag in string.gmatch(tags, '[^,]+') do routes[#routes + 1] = 't:' .. tag end
  end
  routes[#routes + 1] = ''
  local ids, fields = {}, {}
  for _, route in ipairs(routes) do
    local queue = queue_key(route)
    while #ids < max do
      local popped = redis.call('LPOP', queue, max - #ids)
      if not popped then break end
      for _, id in ipairs(popped) do
        local k = task_key(id)
        local v = redis.call('HMGET', k, 's', 'a', 'xs', 'c')
        if v[1] == 'QUEUED' then
          local attempt = tostring(tonumber(v[2]) + 1)
          redis.call('HSET', k, 's', 'RUNNING', 'w', w, 'st', now, 'a', attempt)
          ids[#ids + 1] = id
          append_task(fields, {id, 'RUNNING', v[3], '', w, attempt, v[4], now, '', '', '', '', ''})
        end
      end
    end
    -- With a queue empty, wake-up tokens left from pushes whose tasks were claimed without waiting would only make
    -- blocked workers spin: drop them.
    if redis.call('LLEN', queue) == 0 then redis.call('DEL', P .. wake_key(route)) end
    if #ids >= max then break end
  end
  if #ids > 0 then
    variadic('SADD', P .. 'running:' .. w, ids)
    count('queued', -#ids)
    count('running', #ids)
  end
  return ids, fields
end

-- Claims up to max tasks for a RUNNING worker, returning their fields one task after another (an empty table when
-- none is queued), or 0 when the worker is not RUNNING. A retry carrying the same request id gets the same tasks back.
local function claim_many(w, now, request, max)
  if worker_state(w) ~= 'RUNNING' then return 0 end
  local wk = worker_key(w)
  local seen = redis.call('HMGET', wk, 'creq', 'cids')
  if seen[1] == request and seen[2] then
    local r = {}
    for id in string.gmatch(seen[2], '[^,]+') do
      local t = read_task(id)
      if t and t[2] == 'RUNNING' and t[5] == w then append_task(r, t) end
    end
    return r
  end
  local ids, fields = claim_next(w, now, max, redis.call('HGET', wk, 'tags'))
  if #ids > 0 then redis.call('HSET', wk, 'creq', request, 'cids', table.concat(ids, ',')) end
  return fields
end

-- Records a task that just reached a terminal state for the completion log and its reply channel (v holds its
-- xs, c, st and r fields).
local function publish(id, state, ys, w, attempt, now, ek, et, em, es, v)
  local fields = {id, state, v[1], ys or '', w or '', attempt, v[2], v[3] or '', now,
    ek or '', et or '', em or '', es or ''}
  pending.done[#pending.done + 1] = table.concat(fields, '\31')
  if v[4] then
    -- The submitter has the inputs: a reply leaves them out.
    fields[3] = '{}'
    local packed = table.concat(fields, '\31')
    local list = pending.replies[v[4]]
    if not list then
      list = {}
      pending.replies[v[4]] = list
    end
    list[#list + 1] = packed
  end
end

-- Moves a task from RUNNING under lease (w, attempt) to FINISHED or FAILED; 0 when the lease lost the race.
local function complete(id, w, attempt, state, now, ys, ek, et, em, es)
  local k = task_key(id)
  local cur = redis.call('HMGET', k, 's', 'w', 'a', 'xs', 'c', 'st', 'r')
  if cur[1] ~= 'RUNNING' or cur[2] ~= w or cur[3] ~= attempt then return 0 end
  if state == 'FINISHED' then
    redis.call('HSET', k, 's', state, 'ys', ys, 'f', now)
    count('finished', 1)
  else
    redis.call('HSET', k, 's', state, 'f', now, 'ek', ek, 'et', et, 'em', em, 'es', es)
    count('failed', 1)
  end
  count('running', -1)
  local srem = pending.srem[w]
  if not srem then
    srem = {}
    pending.srem[w] = srem
  end
  srem[#srem + 1] = id
  publish(id, state, ys, w, attempt, now, ek, et, em, es, {cur[4], cur[5], cur[6], cur[7]})
  return 1
end

-- Moves a QUEUED or RUNNING task to CANCELLED; 0 when it is unknown or already terminal. A queued task's id stays
-- in the queue, where claims skip it.
local function cancel(id, now)
  local k = task_key(id)
  local cur = redis.call('HMGET', k, 's', 'w', 'a', 'xs', 'c', 'st', 'r')
  if cur[1] == 'QUEUED' then
    count('queued', -1)
  elseif cur[1] == 'RUNNING' then
    count('running', -1)
    redis.call('SREM', P .. 'running:' .. cur[2], id)
  else
    return 0
  end
  redis.call('HSET', k, 's', 'CANCELLED', 'f', now)
  count('cancelled', 1)
  publish(id, 'CANCELLED', '', cur[2], cur[3], now, nil, nil, nil, nil, {cur[4], cur[5], cur[6], cur[7]})
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
        requeue(id, redis.call('HGET', k, 'rt'), false)
        count('queued', 1)
        count('running', -1)
        requeued = requeued + 1
      end
    end
  end
  redis.call('DEL', running)
  if requeued + failed > 0 then redis.call('HINCRBY', wk, 'rec', requeued + failed) end
  return {applied, requeued, failed}
end
