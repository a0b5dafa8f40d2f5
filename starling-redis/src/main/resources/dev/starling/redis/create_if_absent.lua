-- ARGV: seed, budget, maxAttempts. Returns the network's settings, existing or created.
local key = P .. 'settings'
if redis.call('EXISTS', key) == 0 then
  redis.call('HSET', key, 'seed', ARGV[1], 'budget', ARGV[2], 'maxAttempts', ARGV[3])
end
return redis.call('HMGET', key, 'seed', 'budget', 'maxAttempts')
