-- Shared by every Starling script. Every key a script touches is declared: KEYS holds the network's fixed keys, in
-- the order of NAMES (all under the prefix "starling:{<network>}:", so they share a hash tag and one Redis Cluster
-- slot), then the keys of this call that have names of their own: the wake-up lists of routes, and the reply streams
-- of submitters. Tasks, workers, running tasks and routed queues live in fixed keys (a hash of packed records, a
-- sorted set), so a script never needs a key it was not given. Instants are epoch microseconds, passed from the client
-- as strings and written back as those strings (never as Lua numbers, which print in exponent form).
local NAMES = {'settings', 'counts', 'seq', 'queue', 'wake', 'done', 'donewake', 'workers', 'ordinal', 'sweep',
  'attributes', 'tasks', 'worker', 'running', 'rq', 'channels', 'pushids', 'pushes'}
local K = {}
for i, name in ipairs(NAMES) do K[name] = KEYS[i] end
local P = string.sub(K.settings, 1, #K.settings - #'settings')
local DECLARED = {}
for i = #NAMES + 1, #KEYS do DECLARED[KEYS[i]] = true end

local function fail_with(message) error('STARLING ' .. message, 0) end

-- The instant given by the client, or, when it gives '', the server's own clock (TIME): heartbeats are stamped and
-- judged by the one clock every machine shares, so workers whose clocks differ never make each other look lost.
local function server_time(given)
  if given ~= '' then return given end
  local t = redis.call('TIME')
  return t[1] .. string.format('%06d', tonumber(t[2]))
end

-- Records are fields joined by the unit separator, which JSON payloads escape and the client strips from error
-- texts; ids, routes and tags never hold it (register and the client check).
local SEP = '\31'

local function split(text, n)
  local out, from = {}, 1
  for i = 1, n - 1 do
    local at = string.find(text, SEP, from, true)
    if not at then
      out[i] = string.sub(text, from)
      for j = i + 1, n do out[j] = '' end
      return out
    end
    out[i] = string.sub(text, from, at - 1)
    from = at + 1
  end
  out[n] = string.sub(text, from)
  return out
end

-- A task: state, inputs, outputs, worker, attempt, created, started, finished, error kind, type, message and trace,
-- reply channel, route. The first twelve, after the id, are what the client reads.
local T = {s = 1, xs = 2, ys = 3, w = 4, a = 5, c = 6, st = 7, f = 8, ek = 9, et = 10, em = 11, es = 12, r = 13,
  rt = 14}
local TASK_WIDTH = 14

-- A record in hash key under field id, as its width fields, or nil.
local function load_record(key, id, width)
  local v = redis.call('HGET', key, id)
  if not v then return nil end
  return split(v, width)
end

local function save_record(key, id, record, width)
  redis.call('HSET', key, id, table.concat(record, SEP, 1, width))
end

local function load_task(id) return load_record(K.tasks, id, TASK_WIDTH) end
local function save_task(id, t) save_record(K.tasks, id, t, TASK_WIDTH) end

local function new_task(state, xs, w, attempt, created, started, reply, route)
  return {state, xs, '', w or '', attempt, created, started or '', '', '', '', '', '', reply or '', route or ''}
end

-- {id, state, xs, ys, w, a, c, st, f, ek, et, em, es}, as the client reads a task.
local function read_task(id)
  local t = load_task(id)
  if not t then return nil end
  local r = {tostring(id)}
  for i = 1, 12 do r[i + 1] = t[i] end
  return r
end

-- A worker: id, ordinal, host, pid, started, heartbeat, expiry, state, stop request, stopped, recovered, tags, then
-- the request number and ids of its last claim and of its last creation (for retries and late copies). The first twelve are what the client
-- reads.
local W = {id = 1, ord = 2, host = 3, pid = 4, started = 5, hb = 6, exp = 7, state = 8, stop = 9, stopped = 10,
  rec = 11, tags = 12, creq = 13, cids = 14, preq = 15, pid_ = 16}
local WORKER_WIDTH = 16

local function load_worker(w) return load_record(K.worker, w, WORKER_WIDTH) end
local function save_worker(w, v) save_record(K.worker, w, v, WORKER_WIDTH) end

local function read_worker(w)
  local v = load_worker(w)
  if not v then return nil end
  local r = {}
  for i = 1, 12 do r[i] = v[i] end
  return r
end

-- The record of a worker that must be registered.
local function registered(w)
  local v = load_worker(w)
  if not v then fail_with('unknown-worker ' .. w) end
  return v
end

local function setting(name)
  local v = redis.call('HGET', K.settings, name)
  if not v then fail_with('no-network') end
  return v
end

-- Calls a variadic command on key with values, in slices small enough for unpack.
local function variadic(command, key, values)
  for i = 1, #values, 1000 do
    redis.call(command, key, unpack(values, i, math.min(#values, i + 999)))
  end
end

-- Running tasks: one sorted set of "worker SEP id", so that a worker's tasks are one lexical range.
local function running_of(w)
  local ids = {}
  local head = w .. SEP
  for _, m in ipairs(redis.call('ZRANGEBYLEX', K.running, '[' .. head, '(' .. w .. '\32')) do
    ids[#ids + 1] = string.sub(m, #head + 1)
  end
  return ids
end

local function running_members(w, ids)
  local members = {}
  for i, id in ipairs(ids) do members[i] = w .. SEP .. id end
  return members
end

local function running_add(w, ids)
  local args = {}
  for _, id in ipairs(ids) do
    args[#args + 1] = 0
    args[#args + 1] = w .. SEP .. id
  end
  variadic('ZADD', K.running, args)
end

local TOKENS = {'1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1'}

-- The wake-up list of a route key ('' for any worker, 'w:ID' for a worker, 't:TAG' for a tag), or nil when this call
-- did not declare it: a wake-up is a hint, and a claimer waits at most a second before it looks again.
local function wake_key(route)
  if route == nil or route == '' then return K.wake end
  local key = P .. 'wake:' .. route
  if DECLARED[key] then return key end
  return nil
end

-- Wakes up to n blocked readers of a route's wake-up list (at most 16 at once; a woken reader claims many).
local function wake(route, n)
  local key = wake_key(route)
  if not key then return end
  if n > #TOKENS then n = #TOKENS end
  redis.call('LPUSH', key, unpack(TOKENS, 1, n))
  redis.call('LTRIM', key, 0, 63)
end

-- Routed queues: one sorted set of "route SEP order SEP id". Tasks pushed are ordered by id ('B' and the id); tasks
-- put back in front ('A' and a falling counter) come before them, the latest first.
local function routed_member(route, id, front)
  local order
  if front then
    order = 'A' .. string.format('%016d', 1e15 + redis.call('HINCRBY', K.counts, 'front', -1))
  else
    order = 'B' .. string.format('%016d', tonumber(id))
  end
  return route .. SEP .. order .. SEP .. id
end

-- The task id at the end of a member of the routed queues or of the running set.
local function member_id(m)
  return string.match(m, '([^\31]+)$')
end

local function routed_range(route)
  return '[' .. route .. SEP, '(' .. route .. '\32'
end

-- What a script changes in bulk is gathered here while it runs and written once by commit(): counts, running-set
-- removals, completion-log entries and replies. Every script that claims or completes a task ends with commit().
local pending = {counts = {}, unrun = {}, done = {}, replies = {}}

local function count(field, n)
  pending.counts[field] = (pending.counts[field] or 0) + n
end

local function commit()
  local done = pending.done
  if #done > 0 then
    -- The completion log holds each terminal task packed: its fields (as read_task orders them) joined by the unit
    -- separator. Terminal tasks never change, so an incremental read is one LRANGE with no per-task lookups.
    variadic('RPUSH', K.done, done)
    redis.call('LPUSH', K.donewake, '1')
    redis.call('LTRIM', K.donewake, 0, 15)
  end
  -- A reply channel is a stream, read with XREAD BLOCK; one entry carries all of this script's completions for
  -- it, joined by the record separator.
  for key, packed in pairs(pending.replies) do
    redis.call('XADD', key, '*', 't', table.concat(packed, '\30'))
  end
  if #pending.unrun > 0 then variadic('ZREM', K.running, pending.unrun) end
  for field, n in pairs(pending.counts) do
    if n ~= 0 then redis.call('HINCRBY', K.counts, field, n) end
  end
  pending = {counts = {}, unrun = {}, done = {}, replies = {}}
end

-- The reply stream of a task's channel, nil when it has none or its submitter closed it; a script that publishes
-- calls replies_declared() first, so the key is declared by then.
local open_channels = {}

local function reply_key(channel)
  if channel == '' then return nil end
  local open = open_channels[channel]
  if open == nil then
    open = redis.call('SISMEMBER', K.channels, channel) == 1
    open_channels[channel] = open
  end
  if not open then return nil end
  return P .. 'reply:' .. channel
end

-- Fails, before anything is written, when a task in tasks (records) would publish to a reply stream this call did not
-- declare: the client then learns the open channels and calls again.
local function replies_declared(records)
  local missing, seen = {}, {}
  for _, t in ipairs(records) do
    local channel = t[T.r]
    if channel ~= '' and not seen[channel] then
      seen[channel] = true
      local key = reply_key(channel)
      if key and not DECLARED[key] then missing[#missing + 1] = channel end
    end
  end
  if #missing > 0 then fail_with('undeclared-replies ' .. table.concat(missing, ',')) end
end

-- Takes n ids within the budget; returns the first id, or nil and the last id when the budget is short.
local function reserve(n)
  local budget = tonumber(setting('budget'))
  local last = tonumber(redis.call('GET', K.seq) or '0')
  if last + n > budget then return nil, last end
  return redis.call('INCRBY', K.seq, n) - n + 1, last
end

-- The first id a push request got, or nil; requests are remembered for an hour, for retries.
local function pushed(request)
  local first = redis.call('HGET', K.pushids, request)
  if first then return tonumber(first) end
  return nil
end

local function remember_push(request, first, now)
  local t = tonumber(now)
  redis.call('HSET', K.pushids, request, first)
  redis.call('ZADD', K.pushes, t, request)
  local old = redis.call('ZRANGEBYSCORE', K.pushes, '-inf', t - 3600e6, 'LIMIT', 0, 100)
  if #old > 0 then
    variadic('HDEL', K.pushids, old)
    variadic('ZREM', K.pushes, old)
  end
end

-- Puts a task that was queued before (recovered or released) back on its route's queue; front puts it first.
local function requeue(id, route, front)
  if route == '' then
    redis.call(front and 'LPUSH' or 'RPUSH', K.queue, id)
  else
    redis.call('ZADD', K.rq, 0, routed_member(route, id, front))
  end
  wake(route, 1)
end

-- Writes n tasks from first on, their inputs at ARGV[xs_offset + 1 ..] and, when routes_offset is given, their
-- route keys at ARGV[routes_offset + 1 ..]; reply is a reply channel or ''.
local function write_queued(first, now, xs_offset, n, reply, routes_offset)
  local shared, by_route, routed = {}, {}, {}
  local records = {}
  for i = 1, n do
    local id = first + i - 1
    local route = routes_offset and ARGV[routes_offset + i] or ''
    records[#records + 1] = id
    records[#records + 1] = table.concat(new_task('QUEUED', ARGV[xs_offset + i], '', '0', now, '', reply, route),
      SEP, 1, TASK_WIDTH)
    if route == '' then
      shared[#shared + 1] = id
    else
      routed[#routed + 1] = 0
      routed[#routed + 1] = routed_member(route, id, false)
      by_route[route] = (by_route[route] or 0) + 1
    end
  end
  variadic('HSET', K.tasks, records)
  if #shared > 0 then
    variadic('RPUSH', K.queue, shared)
    wake('', #shared)
  end
  if #routed > 0 then variadic('ZADD', K.rq, routed) end
  for route, k in pairs(by_route) do wake(route, k) end
  if reply ~= '' then redis.call('SADD', K.channels, reply) end
  redis.call('HINCRBY', K.counts, 'queued', n)
end

local function append_task(r, t)
  for i = 1, #t do r[#r + 1] = t[i] end
end

-- Moves the QUEUED task id to RUNNING under w; returns its fields (as read_task orders them), or nil when it is
-- no longer QUEUED (cancelled).
local function start(id, w, now)
  local t = load_task(id)
  if not t or t[T.s] ~= 'QUEUED' then return nil end
  local attempt = tostring(tonumber(t[T.a]) + 1)
  t[T.s], t[T.w], t[T.st], t[T.a] = 'RUNNING', w, now, attempt
  save_task(id, t)
  return {id, 'RUNNING', t[T.xs], '', w, attempt, t[T.c], now, '', '', '', '', ''}
end

-- Starts task id under w and adds it to ids and its fields to fields, unless it is no longer QUEUED.
local function take(ids, fields, id, w, now)
  local t = start(id, w, now)
  if t then
    ids[#ids + 1] = id
    append_task(fields, t)
  end
end

-- Moves up to max QUEUED tasks to RUNNING under w — from the worker's own route, then its tags' routes (tags is
-- the worker's comma-joined tags), then the shared queue — and returns their ids and their fields (as read_task
-- orders them), one task after another. Ids of tasks no longer QUEUED (cancelled) are dropped.
local function claim_next(w, now, max, tags)
  local routes = {'w:' .. w}
  if tags and tags ~= '' then
    for tag in string.gmatch(tags, '[^,]+') do routes[#routes + 1] = 't:' .. tag end
  end
  local ids, fields = {}, {}
  for _, route in ipairs(routes) do
    local min, max_ = routed_range(route)
    while #ids < max do
      local members = redis.call('ZRANGEBYLEX', K.rq, min, max_, 'LIMIT', 0, max - #ids)
      if #members == 0 then break end
      variadic('ZREM', K.rq, members)
      for _, m in ipairs(members) do take(ids, fields, member_id(m), w, now) end
    end
    -- With a queue empty, wake-up tokens left from pushes whose tasks were claimed without waiting would only make
    -- blocked workers spin: drop them.
    local key = wake_key(route)
    if key and redis.call('ZLEXCOUNT', K.rq, min, max_) == 0 then redis.call('DEL', key) end
    if #ids >= max then break end
  end
  while #ids < max do
    local popped = redis.call('LPOP', K.queue, max - #ids)
    if not popped then break end
    for _, id in ipairs(popped) do take(ids, fields, id, w, now) end
  end
  if redis.call('LLEN', K.queue) == 0 then redis.call('DEL', K.wake) end
  if #ids > 0 then
    running_add(w, ids)
    count('queued', -#ids)
    count('running', #ids)
  end
  return ids, fields
end

-- How a request of worker record v stands against the last one of its kind recorded in field: 'late' when it is older (a copy that sat in a network buffer, or in the socket of a client that timed
-- out and moved on, read only now: its sender has the newer answer, so it must change nothing), 'again' when it is the
-- same (a retry, whose answer may have been lost: give the same result back), 'new' otherwise. Requests are numbered
-- increasingly by each client.
local function request_order(v, request, field)
  local n, last = tonumber(request) or 0, tonumber(v[field]) or 0
  if n < last then return 'late' end
  if n == last then return 'again' end
  return 'new'
end

-- The record of task id when it is still RUNNING under worker w, else nil.
local function running_under(id, w)
  local t = read_task(id)
  if t and t[2] == 'RUNNING' and t[5] == w then return t end
  return nil
end

-- Claims up to max tasks for a RUNNING worker, returning their fields one task after another (an empty table when
-- none is queued), or 0 when the worker is not RUNNING. A retry carrying the same request number gets the tasks that
-- request claimed back, when they still run under the worker; a late copy of an older request claims nothing. Every
-- newer request is recorded, even one that claims nothing, so no older copy can pass for new after it.
local function claim_many(w, now, request, max)
  local v = registered(w)
  if v[W.state] ~= 'RUNNING' then return 0 end
  local order = request_order(v, request, W.creq)
  if order == 'late' then return {} end
  if order == 'again' and v[W.cids] ~= '' then
    local r = {}
    for id in string.gmatch(v[W.cids], '[^,]+') do
      local t = running_under(id, w)
      if t then append_task(r, t) end
    end
    if #r > 0 then return r end
  end
  local ids, fields = claim_next(w, now, max, v[W.tags])
  if order == 'new' or #ids > 0 then
    v[W.creq], v[W.cids] = request, table.concat(ids, ',')
    save_worker(w, v)
  end
  return fields
end

-- Records a task that just reached a terminal state for the completion log and its reply channel; t is its record
-- as it is now.
local function publish(id, t)
  local fields = {id, t[T.s], t[T.xs], t[T.ys], t[T.w], t[T.a], t[T.c], t[T.st], t[T.f], t[T.ek], t[T.et], t[T.em],
    t[T.es]}
  pending.done[#pending.done + 1] = table.concat(fields, SEP)
  local key = reply_key(t[T.r])
  if key then
    -- The submitter has the inputs: a reply leaves them out.
    fields[3] = '{}'
    local list = pending.replies[key]
    if not list then
      list = {}
      pending.replies[key] = list
    end
    list[#list + 1] = table.concat(fields, SEP)
  end
end

-- The record of task id when it is RUNNING under lease (w, attempt); nil when the lease lost the race.
local function leased(id, w, attempt)
  local t = load_task(id)
  if not t or t[T.s] ~= 'RUNNING' or t[T.w] ~= w or t[T.a] ~= attempt then return nil end
  return t
end

-- Moves task id, whose record t is RUNNING under worker w, to FINISHED or FAILED.
local function complete(id, t, state, now, ys, ek, et, em, es)
  t[T.s], t[T.f] = state, now
  if state == 'FINISHED' then
    t[T.ys] = ys
    count('finished', 1)
  else
    t[T.ek], t[T.et], t[T.em], t[T.es] = ek, et, em, es
    count('failed', 1)
  end
  save_task(id, t)
  count('running', -1)
  pending.unrun[#pending.unrun + 1] = t[T.w] .. SEP .. id
  publish(id, t)
end

-- Moves a QUEUED or RUNNING task (record t) to CANCELLED. A queued task's id stays in its queue, where claims skip
-- it.
local function cancel(id, t, now)
  if t[T.s] == 'QUEUED' then
    count('queued', -1)
  else
    count('running', -1)
    pending.unrun[#pending.unrun + 1] = t[T.w] .. SEP .. id
  end
  t[T.s], t[T.f] = 'CANCELLED', now
  save_task(id, t)
  count('cancelled', 1)
  publish(id, t)
end

-- The running tasks of worker w, as {id, record} pairs of tasks still RUNNING under it.
local function running_tasks(w)
  local r = {}
  for _, id in ipairs(running_of(w)) do
    local t = load_task(id)
    if t and t[T.s] == 'RUNNING' and t[T.w] == w then r[#r + 1] = {id, t} end
  end
  return r
end

-- Moves worker w (record v, as registered() returns it) to a terminal state and recovers its running tasks (tasks,
-- from running_tasks): requeued, or FAILED when their attempts are used up.
local function retire(w, v, tasks, target, now)
  local applied = 0
  if v[W.state] == 'RUNNING' then
    v[W.state], v[W.stopped] = target, now
    applied = 1
  end
  local max = tonumber(setting('maxAttempts'))
  local requeued, failed = 0, 0
  for _, pair in ipairs(tasks) do
    local id, t = pair[1], pair[2]
    if tonumber(t[T.a]) >= max then
      complete(id, t, 'FAILED', now, '', 'WORKER_LOST', 'worker lost',
        "worker '" .. w .. "' was lost while running this task; no attempts left after " .. t[T.a], '')
      failed = failed + 1
    else
      t[T.s], t[T.w], t[T.st] = 'QUEUED', '', ''
      save_task(id, t)
      requeue(id, t[T.rt], false)
      count('queued', 1)
      count('running', -1)
      requeued = requeued + 1
    end
  end
  local members = running_members(w, running_of(w))
  if #members > 0 then variadic('ZREM', K.running, members) end
  if requeued + failed > 0 then v[W.rec] = tostring(tonumber(v[W.rec]) + requeued + failed) end
  save_worker(w, v)
  return {applied, requeued, failed}
end

-- The records of tasks, for replies_declared().
local function records_of(tasks)
  local r = {}
  for i, pair in ipairs(tasks) do r[i] = pair[2] end
  return r
end
