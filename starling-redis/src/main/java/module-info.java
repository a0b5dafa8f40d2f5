/** The Redis store for Starling. Jedis has no module descriptor, hence the automatic-module requires. */
@SuppressWarnings("requires-automatic")
module dev.starling.redis {
    requires transitive dev.starling.core;
    requires redis.clients.jedis;
    requires org.apache.commons.pool2;
    requires org.slf4j;

    exports dev.starling.redis;

    provides dev.starling.spi.StoreProvider with dev.starling.redis.RedisStoreProvider;
}
