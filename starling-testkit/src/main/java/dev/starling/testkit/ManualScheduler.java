package dev.starling.testkit;

import dev.starling.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;

/**
 * A scheduler on a {@link ManualClock} whose timers run only when the test moves time forward with
 * {@link #advance(Duration)}: every action due meanwhile runs on the calling thread, in the order of its due time,
 * with the clock set to that time, so a heartbeat every second runs ten times in {@code advance(10 s)}. Expiry,
 * sweeps and timeouts are then tested in microseconds and without sleeping. Actions may be scheduled from any
 * thread. Thread-safe.
 */
public final class ManualScheduler implements Scheduler {
    private final ManualClock clock;
    private final PriorityQueue<Entry> due = new PriorityQueue<>();
    private long sequence;

    /** A scheduler on a new {@link ManualClock}. */
    public ManualScheduler() {
        this(new ManualClock());
    }

    /** A scheduler on {@code clock}. */
    public ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public InstantSource clock() {
        return clock;
    }

    /** The manual clock itself, to move time without running timers. */
    public ManualClock manualClock() {
        return clock;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        return add(clock.instant().plus(delay), null, action);
    }

    @Override
    public Cancellable repeat(Duration period, Runnable action) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a repeat period must be positive, was " + period);
        }
        return add(clock.instant().plus(period), period, action);
    }

    private synchronized Entry add(Instant at, Duration period, Runnable action) {
        Entry entry = new Entry(at, sequence++, period, action);
        due.add(entry);
        return entry;
    }

    /**
     * Moves time forward by {@code duration}, running each action that falls due on the way at its due time.
     * Repeating actions are due again one period after they ran.
     */
    public void advance(Duration duration) {
        Instant end = clock.instant().plus(duration);
        while (true) {
            Entry next;
            synchronized (this) {
                next = due.peek();
                if (next == null || next.at.isAfter(end)) {
                    break;
                }
                due.poll();
            }
            if (next.cancelled) {
                continue;
            }
            Duration step = Duration.between(clock.instant(), next.at);
            if (step.isPositive()) {
                clock.advance(step);
            }
            next.action.run();
            if (next.period != null && !next.cancelled) {
                synchronized (this) {
                    next.at = clock.instant().plus(next.period);
                    next.order = sequence++;
                    due.add(next);
                }
            }
        }
        Duration rest = Duration.between(clock.instant(), end);
        if (rest.isPositive()) {
            clock.advance(rest);
        }
    }

    /** How many actions are waiting to run. */
    public synchronized int pending() {
        return (int) due.stream().filter(e -> !e.cancelled).count();
    }

    /** A scheduled action. Its fields change only under the scheduler's lock (or once, for cancelled). */
    private static final class Entry implements Comparable<Entry>, Cancellable {
        private Instant at;
        private long order;
        private final Duration period;
        private final Runnable action;
        private volatile boolean cancelled;

        Entry(Instant at, long order, Duration period, Runnable action) {
            this.at = at;
            this.order = order;
            this.period = period;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Entry other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    @Override
    public String toString() {
        return "manual scheduler at " + clock.instant();
    }
}
