-- KEYS: the fixed keys, then the reply streams of the open channels. ARGV: now, id_1 .. id_n. Cancels each QUEUED or
-- RUNNING task; returns the ids cancelled.
local targets, records = {}, {}
for i = 2, #ARGV do
  local t = load_task(ARGV[i])
  if t and (t[T.s] == 'QUEUED' or t[T.s] == 'RUNNING') then
    targets[#targets + 1] = {ARGV[i], t}
    records[#records + 1] = t
  end
end
replies_declared(records)
local cancelled = {}
for _, pair in ipairs(targets) do
  cancel(pair[1], pair[2], ARGV[1])
  cancelled[#cancelled + 1] = pair[1]
end
commit()
return cancelled
