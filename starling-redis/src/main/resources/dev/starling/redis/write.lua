-- KEYS: the fixed keys, then the wake-up lists of the routes given. ARGV: now, first id, reply channel or '', n,
-- routed (0 or 1), then n route keys if routed, then xs_1 .. xs_n. Writes reserved tasks as QUEUED (skipping any
-- already written).
local first, n = tonumber(ARGV[2]), tonumber(ARGV[4])
if redis.call('HEXISTS', K.tasks, first) == 1 then return 0 end
if ARGV[5] == '1' then
  write_queued(first, ARGV[1], 5 + n, n, ARGV[3], 5)
else
  write_queued(first, ARGV[1], 5, n, ARGV[3])
end
return n
