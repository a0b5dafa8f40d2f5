package dev.starling;

import dev.starling.internal.SystemScheduler;
import java.time.Duration;
import java.time.InstantSource;

/**
 * The clock and the timers of Starling: heartbeats, sweeps for lost workers, task timeouts and run-time limits all
 * read {@link #clock()} and run on this scheduler. A store is created with one ({@link Store#memory(Scheduler)}), so
 * that the timestamps it writes and the timers that judge them share one time. {@link #system()} is the real one;
 * tests use a manual scheduler (in {@code starling-testkit}) whose time moves only when told to, so expiry and
 * timeouts are tested without sleeping. Implementations are thread-safe.
 */
public interface Scheduler {

    /** The system clock, with timers on two shared platform threads of this JVM. */
    static Scheduler system() {
        return SystemScheduler.INSTANCE;
    }

    /** The clock this scheduler's timers follow. */
    InstantSource clock();

    /**
     * Runs {@code action} once, {@code delay} from now. Actions must be short; a store call is fine.
     *
     * @return a handle that cancels the action if it has not run yet
     */
    Cancellable schedule(Duration delay, Runnable action);

    /**
     * Runs {@code action} every {@code period}, the first time one period from now, each next run one period after
     * the previous one ended (fixed delay), until cancelled. An exception from {@code action} is logged and the
     * runs go on.
     */
    Cancellable repeat(Duration period, Runnable action);

    /** A scheduled action that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the action's future runs; a run in progress finishes. Idempotent. */
        void cancel();
    }
}
