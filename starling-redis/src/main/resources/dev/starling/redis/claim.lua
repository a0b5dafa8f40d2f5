-- KEYS: the fixed keys, then the wake-up lists of the worker's routes. ARGV: worker, now, request, max. Returns the
-- claimed tasks' fields, one task after another (none when the queue is empty), or 0 when the worker is not RUNNING.
local r = claim_many(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]))
commit()
return r
