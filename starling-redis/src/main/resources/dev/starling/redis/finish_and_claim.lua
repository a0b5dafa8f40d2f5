-- KEYS: the fixed keys, then the wake-up lists of the worker's routes and the reply streams of the open channels.
-- ARGV: worker, now, request, max, n, then n times (id, attempt, ys). Finishes the n tasks under the worker's leases,
-- then claims up to max. Returns {number of lost finishes, their ids..., the claimed tasks' fields...}, or
-- {lost..., 0} when the worker is not RUNNING.
local w, now = ARGV[1], ARGV[2]
local n = tonumber(ARGV[5])
local lost, won, records = {}, {}, {}
for i = 0, n - 1 do
  local id = ARGV[6 + 3 * i]
  local t = leased(id, w, ARGV[7 + 3 * i])
  if t then
    won[#won + 1] = {id, t, ARGV[8 + 3 * i]}
    records[#records + 1] = t
  else
    lost[#lost + 1] = id
  end
end
replies_declared(records)
for _, f in ipairs(won) do complete(f[1], f[2], 'FINISHED', now, f[3]) end
local r = {#lost}
for i = 1, #lost do r[#r + 1] = lost[i] end
local max = tonumber(ARGV[4])
if max > 0 then
  local claimed = claim_many(w, now, ARGV[3], max)
  if claimed == 0 then r[#r + 1] = 0 else append_task(r, claimed) end
end
commit()
return r
