-- ARGV: request, n, now. Takes n ids within the budget for a large batch written by write.lua.
-- Returns {first id, 0}, or {-1, last id}; a retry with the same request id returns the first try's ids.
local prev = pushed(ARGV[1])
if prev then return {prev, 0} end
local first, last = reserve(tonumber(ARGV[2]))
if not first then return {-1, last} end
remember_push(ARGV[1], first, ARGV[3])
return {first, 0}
