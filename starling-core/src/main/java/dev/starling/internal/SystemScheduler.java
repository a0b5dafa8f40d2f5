package dev.starling.internal;

import dev.starling.Scheduler;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Scheduler#system()}: the system clock and two shared platform threads for every timer of this JVM (the
 * heartbeats of all its workers, sweeps, task timeouts). Platform threads because virtual threads are not preempted:
 * workers whose loops keep the CPU busy on virtual threads (fitting a model, say) would starve heartbeats on virtual
 * threads, and the network would declare them lost. Platform threads get their share of the CPU from the operating
 * system. Thread-safe.
 */
public final class SystemScheduler implements Scheduler {
    /** The one instance. */
    public static final SystemScheduler INSTANCE = new SystemScheduler();
    private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);

    private final ScheduledThreadPoolExecutor executor;

    private SystemScheduler() {
        executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "starling-timers");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public InstantSource clock() {
        return InstantSource.system();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        ScheduledFuture<?> future = executor.schedule(guarded(action), Math.max(0, delay.toNanos()),
                TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public Cancellable repeat(Duration period, Runnable action) {
        long nanos = period.toNanos();
        if (nanos <= 0) {
            throw new IllegalArgumentException("a repeat period must be positive, was " + period);
        }
        ScheduledFuture<?> future = executor.scheduleWithFixedDelay(guarded(action), nanos, nanos,
                TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** An exception would cancel a repeating task silently: log it instead. */
    private static Runnable guarded(Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("a timer action failed", e);
            }
        };
    }

    @Override
    public String toString() {
        return "system scheduler";
    }
}
