-- ARGV: name, value. Sets a network attribute, only while the network exists (no stray keys after a delete).
setting('seed')
redis.call('HSET', K.attributes, ARGV[1], ARGV[2])
return 1
