-- ARGV: now, id_1 .. id_n. Cancels each QUEUED or RUNNING task; returns the ids cancelled.
local cancelled = {}
for i = 2, #ARGV do
  if cancel(ARGV[i], ARGV[1]) == 1 then cancelled[#cancelled + 1] = ARGV[i] end
end
commit()
return cancelled
