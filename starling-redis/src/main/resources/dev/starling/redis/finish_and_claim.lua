-- ARGV: id, worker, attempt, now, ys, request. Returns {finished 0|1, next task's fields...}.
local finished = complete(ARGV[1], ARGV[2], ARGV[3], 'FINISHED', ARGV[4], ARGV[5])
local r = {finished}
local t = claim_for(ARGV[2], ARGV[4], ARGV[6])
if t then for i = 1, #t do r[i + 1] = t[i] end end
return r
