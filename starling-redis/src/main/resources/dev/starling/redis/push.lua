-- KEYS: the fixed keys, then the wake-up lists of the routes given. ARGV: request, now, reply channel or '', n,
-- routed (0 or 1), then n route keys if routed, then xs_1 .. xs_n. Returns {first id, 0}, or {-1, last id} when the
-- budget is short. A retry with the same request id returns the ids of the first try and creates nothing.
local prev = pushed(ARGV[1])
if prev then return {prev, 0} end
local n = tonumber(ARGV[4])
local first, last = reserve(n)
if not first then return {-1, last} end
if ARGV[5] == '1' then
  write_queued(first, ARGV[2], 5 + n, n, ARGV[3], 5)
else
  write_queued(first, ARGV[2], 5, n, ARGV[3])
end
remember_push(ARGV[1], first, ARGV[2])
return {first, 0}
