package dev.starling.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starling.LogEvent;
import dev.starling.PayloadException;
import dev.starling.internal.Json;
import dev.starling.spi.EventLog;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/** Per-worker event logs in Redis: a list per worker, trimmed to its newest {@value #CAPACITY} events. */
final class RedisEventLog implements EventLog {
    static final int CAPACITY = 10_000;

    private final RedisNetworkStore network;

    RedisEventLog(RedisNetworkStore network) {
        this.network = network;
    }

    private String key(String worker) {
        return network.prefix() + "events:" + worker;
    }

    @Override
    public void append(LogEvent event) {
        ObjectNode json = Json.mapper().createObjectNode()
                .put("t", Codec.micros(event.time()))
                .put("l", event.level().name())
                .put("m", event.message());
        String key = key(event.worker());
        network.redis().call(c -> {
            try (AbstractPipeline pipeline = c.pipelined()) {
                // A pipeline does not throw for one command's error: ask the reply, so that a refused append fails.
                Response<Long> appended = pipeline.rpush(key, json.toString());
                pipeline.ltrim(key, -CAPACITY, -1);
                pipeline.sync();
                appended.get();
            }
            return null;
        });
    }

    @Override
    public List<LogEvent> read(String worker) {
        List<String> raw = network.redis().retrying(c -> c.lrange(key(worker), 0, -1));
        List<LogEvent> events = new ArrayList<>(raw.size());
        for (String line : raw) {
            JsonNode node;
            try {
                node = Json.mapper().readTree(line);
            } catch (JsonProcessingException e) {
                throw new PayloadException("a log event of worker " + worker + " is not valid JSON: " + line, e);
            }
            events.add(new LogEvent(Codec.instant(node.path("t").asText()), worker,
                    LogEvent.Level.valueOf(node.path("l").asText("INFO")), node.path("m").asText()));
        }
        return events;
    }
}
