package dev.starling;

import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** What a worker's own code sees of the worker, outside any task. Used by one worker thread at a time. */
public interface WorkerContext {

    /** The worker's id. */
    String workerId();

    /** The worker's order of registration in the network, from 1. */
    int ordinal();

    /** The network's settings. */
    NetworkSettings settings();

    /** The tags this worker carries (see {@link Route}); empty when it carries none. */
    Set<String> tags();

    /** A generator seeded from the network seed and this worker's ordinal. */
    RandomGenerator random();

    /** The worker's log. */
    WorkerLog log();

    /** The network this worker belongs to: its tasks, counts and attributes. */
    Network network();

    /** The network's completed tasks, read incrementally: call {@link Archive#update()} for what is new. */
    Archive archive();

    /**
     * Data this worker builds once and keeps for its later tasks, such as its share of a data set: the value kept
     * under {@code name}, built by {@code build} on first use (from this context: the worker's ordinal, seed, network).
     * Kept in this worker's memory only, never in the store; a worker that rejoins the network builds it again.
     *
     * @throws NullPointerException when {@code build} returns null
     */
    <T> T local(String name, Function<? super WorkerContext, ? extends T> build);

    /**
     * A value the controller stored once with {@link dev.starling.futures.Futures#scatter}, read from the store the
     * first time this worker needs it and kept for its later tasks.
     *
     * @throws StarlingException when nothing was scattered under {@code name} in this network
     */
    <T> T scattered(String name, Class<T> type);
}
