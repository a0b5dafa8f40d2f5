package dev.starling;

import java.util.random.RandomGenerator;

/** What a worker's own code sees of the worker, outside any task. Used by one worker thread at a time. */
public interface WorkerContext {

    /** The worker's id. */
    String workerId();

    /** The worker's order of registration in the network, from 1. */
    int ordinal();

    /** The network's settings. */
    NetworkSettings settings();

    /** A generator seeded from the network seed and this worker's ordinal. */
    RandomGenerator random();

    /** The worker's log. */
    WorkerLog log();

    /** The network this worker belongs to: its tasks, counts and attributes. */
    Network network();

    /** The network's completed tasks, read incrementally: call {@link Archive#update()} for what is new. */
    Archive archive();
}
