package dev.starling.internal;

import dev.starling.Recovery;
import dev.starling.spi.NetworkStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sweeps a network for lost workers and recovers their tasks, judging heartbeats only over the stretch in which the
 * sweeper itself has steadily reached the store (see {@link Contact}): a store that nobody could reach for a while
 * makes nobody lost. Every worker sweeps with each heartbeat, and a controller every second; the store skips sweeps
 * that come within one period of another. Thread-safe.
 */
public final class Sweeper {
    private final NetworkStore network;
    private final InstantSource clock;
    private final Duration period;
    private final Consumer<Recovery> onRecovery;
    private final Contact contact;

    /**
     * A sweeper whose first contact with the store was a call begun at {@code began}.
     *
     * @param period     how often it sweeps
     * @param onRecovery told of each worker this sweeper found lost, for the log
     */
    public Sweeper(NetworkStore network, InstantSource clock, Duration period, Instant began,
                   Consumer<Recovery> onRecovery) {
        this.network = network;
        this.clock = clock;
        this.period = period;
        this.onRecovery = onRecovery;
        this.contact = new Contact(clock, period, began);
    }

    /** How often it sweeps. */
    public Duration period() {
        return period;
    }

    /** The sweeper's contact with the store, which the member's other calls (heartbeats) update too. */
    Contact contact() {
        return contact;
    }

    /**
     * Sweeps once, unless another sweep ran within one period.
     *
     * @throws dev.starling.StoreUnavailableException when the store cannot be reached
     */
    public void sweep() {
        sweep(period).forEach(onRecovery);
    }

    /**
     * Sweeps now, whenever the last sweep ran.
     *
     * @return the workers found lost
     */
    public List<Recovery> sweepNow() {
        List<Recovery> found = sweep(Duration.ZERO);
        found.forEach(onRecovery);
        return found;
    }

    private List<Recovery> sweep(Duration minInterval) {
        Instant began = clock.instant();
        List<Recovery> found = network.recoverLostWorkers(minInterval, contact.sinceAt(began));
        contact.succeeded(began);
        return found;
    }
}
