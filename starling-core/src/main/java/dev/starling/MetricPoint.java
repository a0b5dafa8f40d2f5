package dev.starling;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One point of the metrics a network records over time (an algorithm's loss, residuals, gap, staleness): named
 * values at one instant. The dashboard plots them live; {@link Network#metrics} reads them.
 *
 * @param time   when they were measured
 * @param values the metrics by name, in the order given; NaN and infinities are kept out (a gap of zero on a log
 *               scale is a caller's choice, not the store's)
 */
public record MetricPoint(Instant time, Map<String, Double> values) {
    public MetricPoint {
        Objects.requireNonNull(time, "time");
        Map<String, Double> finite = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            Objects.requireNonNull(name, "a metric's name");
            if (value != null && Double.isFinite(value)) {
                finite.put(name, value);
            }
        });
        values = Collections.unmodifiableMap(finite);
    }
}
