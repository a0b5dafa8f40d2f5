/**
 * The Redis store: {@code Store.open("redis://host:6379")} (or {@link dev.starling.redis.RedisStore#open}) keeps a
 * network's state in Redis or Valkey (6.2 or newer), so workers in many processes and on many machines share it.
 * Every state transition is one Lua script, run through EVALSHA in one round trip and atomic with the data it
 * writes. Keys of one network share the hash tag {@code starling:{network}:}, so a network lives in one Redis
 * Cluster slot. Jedis is an implementation detail: none of its types appear in this package's public signatures.
 */
package dev.starling.redis;
