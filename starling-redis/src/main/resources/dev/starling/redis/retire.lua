-- ARGV: worker, state, now. Returns {applied 0|1, requeued, failed}.
local r = retire(ARGV[1], ARGV[2], ARGV[3])
commit()
return r
