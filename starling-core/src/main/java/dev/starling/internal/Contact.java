package dev.starling.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * One member's contact with the store: when it last reached it, and since when it has reached it steadily. A member
 * (a worker's heartbeat, a controller's sweeper) calls the store every {@code period}; a gap of more than two periods
 * between the start of one successful call and the end of the next means the store could not be reached, or answered
 * nobody (restarted, paused), or this process stalled. Heartbeats that nobody could write in such a gap must not make
 * workers lost, so a sweep judges heartbeats only from {@link #sinceAt} on. Thread-safe.
 */
final class Contact {
    private final InstantSource clock;
    private final Duration period;
    private Instant since;
    private Instant lastBegan;
    private Instant lastSuccess;

    /** Contact that starts with a successful call begun at {@code began} (the registration, say). */
    Contact(InstantSource clock, Duration period, Instant began) {
        this.clock = clock;
        this.period = period;
        Instant now = clock.instant();
        this.since = now;
        this.lastBegan = began;
        this.lastSuccess = now;
    }

    /** Records a successful store call that began at {@code began} and has just returned. */
    synchronized void succeeded(Instant began) {
        Instant now = clock.instant();
        since = sinceAt(now);
        lastBegan = began;
        lastSuccess = now;
    }

    /**
     * The start of the stretch of steady contact that a call beginning at {@code at} continues: {@code at} itself
     * when the last successful call began more than two periods earlier.
     */
    synchronized Instant sinceAt(Instant at) {
        return Duration.between(lastBegan, at).compareTo(period.multipliedBy(2)) > 0 ? at : since;
    }

    /** How long since the last successful call returned. */
    synchronized Duration silence() {
        return Duration.between(lastSuccess, clock.instant());
    }
}
