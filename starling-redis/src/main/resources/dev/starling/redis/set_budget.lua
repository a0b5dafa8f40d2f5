-- ARGV: budget. Changes the network's budget; reserve() reads it on every creation, so the change is atomic.
setting('budget')
redis.call('HSET', K.settings, 'budget', ARGV[1])
return 1
