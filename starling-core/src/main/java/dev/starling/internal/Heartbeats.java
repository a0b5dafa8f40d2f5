package dev.starling.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeats of every worker in this JVM, on two platform threads. Virtual threads are not preempted: workers
 * whose loops keep the CPU busy on virtual threads (fitting a model, say) would starve heartbeats on virtual threads,
 * and the network would declare them lost. Platform threads get their share of the CPU from the operating system.
 * Thread-safe.
 */
final class Heartbeats {
    private static final ScheduledThreadPoolExecutor EXECUTOR = executor();

    private Heartbeats() {
    }

    /** Runs {@code beat} every {@code period}, first after one period, until the returned future is cancelled. */
    static ScheduledFuture<?> every(Duration period, Runnable beat) {
        long nanos = period.toNanos();
        return EXECUTOR.scheduleWithFixedDelay(beat, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor executor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "starling-heartbeats");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
