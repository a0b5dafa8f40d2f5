package dev.starling.redis;

import java.util.List;
import redis.clients.jedis.commands.JedisCommands;

/** Edits a task's stored record by hand, as someone with a Redis client could, for the tests of damaged data. */
final class StoredTask {
    /** The order of a record's fields, prelude.lua's T. */
    private static final List<String> FIELDS = List.of("s", "xs", "ys", "w", "a", "c", "st", "f", "ek", "et", "em",
            "es", "r", "rt");

    private StoredTask() {
    }

    /** Sets field {@code field} (e.g. {@code s}, {@code xs}) of task {@code id} of {@code network} to {@code value}. */
    static void edit(JedisCommands redis, String network, long id, String field, String value) {
        String key = RedisNetworkStore.prefix(network) + "tasks";
        List<String> fields = Codec.fields(redis.hget(key, Long.toString(id)), RedisTaskStore.RECORD_WIDTH);
        List<String> edited = new java.util.ArrayList<>(fields);
        edited.set(FIELDS.indexOf(field), value);
        redis.hset(key, Long.toString(id), String.join(String.valueOf(Codec.UNIT_SEPARATOR), edited));
    }
}
