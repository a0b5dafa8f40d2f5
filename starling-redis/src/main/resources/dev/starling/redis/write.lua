-- ARGV: now, first id, reply channel or '', n, xs_1 .. xs_n. Writes reserved tasks as QUEUED (skipping any already written).
local first, n = tonumber(ARGV[2]), tonumber(ARGV[4])
if redis.call('EXISTS', task_key(first)) == 1 then return 0 end
write_queued(first, ARGV[1], 4, n, ARGV[3])
return n
