-- KEYS: the fixed keys, then the reply streams of the open channels. ARGV: id, worker, attempt, state, now, ys, error
-- kind, type, message, trace. Returns 1, or 0 on a lost race.
local t = leased(ARGV[1], ARGV[2], ARGV[3])
if not t then return 0 end
replies_declared({t})
complete(ARGV[1], t, ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10])
commit()
return 1
