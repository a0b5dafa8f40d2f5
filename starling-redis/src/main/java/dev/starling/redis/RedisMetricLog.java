package dev.starling.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starling.MetricPoint;
import dev.starling.PayloadException;
import dev.starling.internal.Json;
import dev.starling.spi.MetricLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A network's metrics in Redis: one list, a JSON document per point ({@code {"t": micros, "v": {...}}}). */
final class RedisMetricLog implements MetricLog {
    private final RedisNetworkStore network;

    RedisMetricLog(RedisNetworkStore network) {
        this.network = network;
    }

    private String key() {
        return network.prefix() + "metrics";
    }

    @Override
    public void append(List<MetricPoint> points) {
        if (points.isEmpty()) {
            return;
        }
        String[] encoded = new String[points.size()];
        for (int i = 0; i < encoded.length; i++) {
            ObjectNode json = Json.mapper().createObjectNode().put("t", Codec.micros(points.get(i).time()));
            ObjectNode values = json.putObject("v");
            points.get(i).values().forEach(values::put);
            encoded[i] = json.toString();
        }
        network.redis().call(c -> c.rpush(key(), encoded));
    }

    @Override
    public List<MetricPoint> read(long from, int limit) {
        List<String> raw = network.redis().retrying(c -> c.lrange(key(), from, from + limit - 1));
        List<MetricPoint> points = new ArrayList<>(raw.size());
        for (String line : raw) {
            JsonNode node;
            try {
                node = Json.mapper().readTree(line);
            } catch (JsonProcessingException e) {
                throw new PayloadException("a metric point of network '" + network.name() + "' is not valid JSON: "
                        + line, e);
            }
            Map<String, Double> values = new LinkedHashMap<>();
            node.path("v").properties().forEach(e -> values.put(e.getKey(), e.getValue().asDouble()));
            points.add(new MetricPoint(Codec.instant(node.path("t").asText()), values));
        }
        return points;
    }
}
