-- KEYS: the fixed keys, then the channel's reply stream. ARGV: channel, first unread entry id, max. Trims the entries
-- before the first unread one (they were delivered) and returns up to max entries from it on, as id, packed task, id,
-- packed task, ...
local key = KEYS[#NAMES + 1]
redis.call('XTRIM', key, 'MINID', ARGV[2])
local r = {}
for _, e in ipairs(redis.call('XRANGE', key, ARGV[2], '+', 'COUNT', ARGV[3])) do
  r[#r + 1] = e[1]
  r[#r + 1] = e[2][2]
end
return r
