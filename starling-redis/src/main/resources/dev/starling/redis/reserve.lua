-- ARGV: request, n. Takes n ids within the budget for a large batch written by write.lua.
-- Returns {first id, 0}, or {-1, last id}; a retry with the same request id returns the first try's ids.
local seen = P .. 'push:' .. ARGV[1]
local prev = redis.call('GET', seen)
if prev then return {tonumber(prev), 0} end
local first, last = reserve(tonumber(ARGV[2]))
if not first then return {-1, last} end
redis.call('SET', seen, first, 'EX', 3600)
return {first, 0}
