package dev.starling;

/**
 * The settings a network is created with, kept in the store so that every worker, in any process, reads the same.
 * Immutable.
 *
 * @param seed        the network seed; each task's seed derives from it and the task's id
 * @param budget      the most tasks the network will ever create, or {@link #UNLIMITED}
 * @param maxAttempts how many times a task may be started before a lost worker makes it FAILED instead of QUEUED
 */
public record NetworkSettings(long seed, long budget, int maxAttempts) {
    /** The budget of a network without one. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    public NetworkSettings {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must be zero or more, was " + budget);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
        }
    }

    /** Seed 0, no budget, 3 attempts. */
    public static NetworkSettings defaults() {
        return new NetworkSettings(0, UNLIMITED, 3);
    }

    /** Whether the network has a task budget. */
    public boolean hasBudget() {
        return budget != UNLIMITED;
    }
}
