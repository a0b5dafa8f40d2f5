package dev.starling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records an algorithm's metrics into its network without paying a round trip per measurement: {@link #record}
 * keeps at most one point per {@code every} (the latest measured in that time wins) and writes what it holds once
 * {@code every} has passed since the last write, and on {@link #flush()} or {@link #close()}. Time is the store's
 * clock. Metrics are for watching a run, not its results: a write that fails (the store unreachable) is logged once
 * and its points dropped, and the algorithm goes on. Not thread-safe: one recorder per loop.
 */
public final class MetricRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricRecorder.class);

    private final Network network;
    private final Duration every;
    private final List<MetricPoint> pending = new ArrayList<>();
    private Instant lastWrite = Instant.MIN;
    private Instant lastPoint = Instant.MIN;
    private boolean warned;

    private MetricRecorder(Network network, Duration every) {
        this.network = network;
        this.every = every;
    }

    /** A recorder that writes to {@code network} at most once every {@code every}. */
    public static MetricRecorder on(Network network, Duration every) {
        Objects.requireNonNull(network, "network");
        if (every == null || every.isNegative()) {
            throw new IllegalArgumentException("every must be zero or more, was " + every);
        }
        return new MetricRecorder(network, every);
    }

    /** Records {@code values} measured now. */
    public void record(Map<String, Double> values) {
        Instant now = network.store().clock().instant();
        MetricPoint point = new MetricPoint(now, values);
        if (!pending.isEmpty() && Duration.between(lastPoint, now).compareTo(every) < 0) {
            pending.set(pending.size() - 1, point);
        } else {
            pending.add(point);
            lastPoint = now;
        }
        if (Duration.between(lastWrite, now).compareTo(every) >= 0) {
            flush();
        }
    }

    /** Writes what is held. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        lastWrite = network.store().clock().instant();
        try {
            network.recordMetrics(pending);
        } catch (StarlingException e) {
            if (!warned) {
                warned = true;
                LOG.warn("metrics of network '{}' could not be written and are dropped (the run goes on): {}",
                        network.name(), e.getMessage());
            }
        } finally {
            pending.clear();
        }
    }

    /** Writes what is held. */
    @Override
    public void close() {
        flush();
    }
}
