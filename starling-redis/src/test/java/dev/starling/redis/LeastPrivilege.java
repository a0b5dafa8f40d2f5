package dev.starling.redis;

import dev.starling.testkit.TestRedis;
import redis.clients.jedis.Jedis;

/**
 * The least-privilege ACL user of the README, on a dedicated redis-server: its key pattern is Starling's prefix, and
 * it may run exactly the commands Starling sends and its Lua scripts call. The default user is switched off there;
 * an admin user sets the others up. The contract suites run as the least-privilege user.
 */
final class LeastPrivilege {
    static final String USER = "starling";
    static final String PASSWORD = "least-privilege-pw";
    /** The rule, as the README gives it after {@code ACL SETUSER starling}; a test checks that they agree. */
    static final String RULE = "on >PASSWORD resetkeys ~starling:* resetchannels -@all"
            + " +ping +hello +auth +client|setname +select +evalsha +script|load"
            + " +blpop +del +exists +get +hdel +hexists +hget +hincrby +hmget +hset +incr +incrby +llen +lpop +lpush"
            + " +lrange +ltrim +rpush +sadd +scan +set +sismember +smembers +srem +time +unlink +xadd +xrange +xread"
            + " +xtrim +zadd +zlexcount +zrange +zrangebylex +zrangebyscore +zrem";

    /** What the rule needs besides on a Redis Cluster, as the README gives it. */
    static final String CLUSTER = "+info +cluster|slots +cluster|countkeysinslot +cluster|getkeysinslot";

    private static TestRedis.Server server;

    private LeastPrivilege() {
    }

    private static synchronized TestRedis.Server server() {
        if (server == null) {
            TestRedis.Server started = TestRedis.start();
            try (Jedis first = new Jedis("127.0.0.1", started.port())) {
                first.aclSetUser("admin", "on", ">" + PASSWORD, "~*", "&*", "+@all");
                first.aclSetUser(USER, rule(RULE));
                first.aclSetUser("default", "off");
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
            server = started;
        }
        return server;
    }

    static String[] rule(String rule) {
        return rule.replace("PASSWORD", PASSWORD).split(" ");
    }

    /** The URL of the shared server, as user {@code name}. */
    static String url(String name) {
        return "redis://" + name + ":" + PASSWORD + "@127.0.0.1:" + server().port();
    }

    /** The URL of the shared server, as the least-privilege user. */
    static String url() {
        return url(USER);
    }

    /** Sets user {@code name} to {@code rule} (PASSWORD stands for the password). */
    static void setUser(String name, String rule) {
        try (Jedis admin = new Jedis("127.0.0.1", server().port())) {
            admin.auth("admin", PASSWORD);
            admin.aclSetUser(name, rule(rule));
        }
    }
}
