package dev.starling.spi;

import dev.starling.MetricPoint;
import java.util.List;

/**
 * The metrics a network records over time, in the order appended; positions count from 0 and never shift, so a
 * reader asks for what came after the last point it read. Implementations are thread-safe.
 */
public interface MetricLog {

    /** Appends {@code points}, in order, in one round trip. */
    void append(List<MetricPoint> points);

    /** Up to {@code limit} points from position {@code from} on, oldest first. */
    List<MetricPoint> read(long from, int limit);
}
