package dev.starling;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a worker runs. Immutable; build with {@link #builder()}.
 *
 * @param heartbeatPeriod how often the worker heartbeats (and sweeps for lost workers)
 * @param taskTimeout     how long one task may run before it fails with cause TIMEOUT, or {@link Duration#ZERO} for
 *                        no limit
 * @param pollTimeout     how long one wait for a queued task lasts before the worker checks whether to stop
 * @param outageLimit     how long the worker rides out a store it cannot reach before it stops (reason
 *                        {@link WorkerExit.Cause#OUTAGE}); shorter gaps are retried and lose nothing
 * @param virtualThread   whether {@link Network#startWorker} runs the worker on a virtual thread (the default: cheap,
 *                        hundreds per JVM) or on a platform thread (a lower latency per round trip to a server store)
 * @param tags            the tags the worker carries: tasks routed to one of them run only on such workers (see
 *                        {@link Route}); empty by default
 */
public record WorkerOptions(Duration heartbeatPeriod, Duration taskTimeout, Duration pollTimeout,
                            Duration outageLimit, boolean virtualThread, Set<String> tags) {
    /** The default outage limit: five minutes. */
    public static final Duration DEFAULT_OUTAGE_LIMIT = Duration.ofMinutes(5);

    public WorkerOptions {
        requirePositive(heartbeatPeriod, "heartbeat period");
        requirePositive(pollTimeout, "poll timeout");
        requirePositive(outageLimit, "outage limit");
        Objects.requireNonNull(taskTimeout, "task timeout");
        if (taskTimeout.isNegative()) {
            throw new IllegalArgumentException("task timeout must be zero (none) or positive, was " + taskTimeout);
        }
        tags = Set.copyOf(tags);
        tags.forEach(tag -> Route.checkName(tag, "tag"));
    }

    /** These options on a virtual thread or not. */
    public WorkerOptions withVirtualThread(boolean virtual) {
        return new WorkerOptions(heartbeatPeriod, taskTimeout, pollTimeout, outageLimit, virtual, tags);
    }

    /** These options with {@code tags} instead of the tags they had. */
    public WorkerOptions withTags(Set<String> tags) {
        return new WorkerOptions(heartbeatPeriod, taskTimeout, pollTimeout, outageLimit, virtualThread, tags);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Heartbeat every second, no task timeout, poll 250 ms, outage limit 5 minutes, virtual thread. */
    public static WorkerOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** After how long without a heartbeat the worker counts as lost: three heartbeat periods. */
    public Duration heartbeatExpiry() {
        return heartbeatPeriod.multipliedBy(3);
    }

    /** Whether tasks have a time limit. */
    public boolean hasTaskTimeout() {
        return !taskTimeout.isZero();
    }

    /** Builds {@link WorkerOptions}. Not thread-safe. */
    public static final class Builder {
        private Duration heartbeatPeriod = Duration.ofSeconds(1);
        private Duration taskTimeout = Duration.ZERO;
        private Duration pollTimeout = Duration.ofMillis(250);
        private Duration outageLimit = DEFAULT_OUTAGE_LIMIT;
        private boolean virtualThread = true;
        private Set<String> tags = Set.of();

        private Builder() {
        }

        /** How often the worker heartbeats (default 1 s); it counts as lost after three periods without one. */
        public Builder heartbeatPeriod(Duration period) {
            this.heartbeatPeriod = period;
            return this;
        }

        /** How long one task may run (default {@link Duration#ZERO}: no limit). */
        public Builder taskTimeout(Duration timeout) {
            this.taskTimeout = timeout;
            return this;
        }

        /** How long one wait for a queued task lasts (default 250 ms). */
        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = timeout;
            return this;
        }

        /** How long the worker rides out an unreachable store before it stops (default 5 minutes). */
        public Builder outageLimit(Duration limit) {
            this.outageLimit = limit;
            return this;
        }

        /** Whether the worker runs on a virtual thread (default) or a platform thread. */
        public Builder virtualThread(boolean virtual) {
            this.virtualThread = virtual;
            return this;
        }

        /** The tags the worker carries (default none): 1 to 100 letters, digits or {@code . _ : = / -} each. */
        public Builder tags(Set<String> tags) {
            this.tags = tags;
            return this;
        }

        /** Validates and snapshots the options. */
        public WorkerOptions build() {
            return new WorkerOptions(heartbeatPeriod, taskTimeout, pollTimeout, outageLimit, virtualThread, tags);
        }
    }
}
