-- ARGV: seed, budget, maxAttempts. Returns the network's settings, existing or created.
if redis.call('EXISTS', K.settings) == 0 then
  redis.call('HSET', K.settings, 'seed', ARGV[1], 'budget', ARGV[2], 'maxAttempts', ARGV[3])
end
return redis.call('HMGET', K.settings, 'seed', 'budget', 'maxAttempts')
