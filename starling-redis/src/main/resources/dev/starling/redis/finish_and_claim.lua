-- ARGV: worker, now, request, max, n, then n times (id, attempt, ys). Finishes the n tasks under the worker's leases,
-- then claims up to max. Returns {number of lost finishes, their ids..., the claimed tasks' fields...}, or
-- {lost..., 0} when the worker is not RUNNING.
local w, now = ARGV[1], ARGV[2]
local n = tonumber(ARGV[5])
local lost = {}
for i = 0, n - 1 do
  local id = ARGV[6 + 3 * i]
  if complete(id, w, ARGV[7 + 3 * i], 'FINISHED', now, ARGV[8 + 3 * i]) == 0 then lost[#lost + 1] = id end
end
local r = {#lost}
for i = 1, #lost do r[#r + 1] = lost[i] end
local max = tonumber(ARGV[4])
if max > 0 then
  local claimed = claim_many(w, now, ARGV[3], max)
  if claimed == 0 then r[#r + 1] = 0 else append_task(r, claimed) end
end
commit()
return r
