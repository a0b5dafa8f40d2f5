package dev.starling.internal.memory;

import dev.starling.MetricPoint;
import dev.starling.spi.MetricLog;
import java.util.ArrayList;
import java.util.List;

/** A network's metrics in memory, a list in the order appended. Thread-safe. */
final class MemoryMetricLog implements MetricLog {
    private final List<MetricPoint> points = new ArrayList<>();

    @Override
    public synchronized void append(List<MetricPoint> more) {
        points.addAll(more);
    }

    @Override
    public synchronized List<MetricPoint> read(long from, int limit) {
        if (from >= points.size()) {
            return List.of();
        }
        int start = (int) from;
        return List.copyOf(points.subList(start, (int) Math.min(points.size(), start + (long) limit)));
    }
}
