package dev.starling;

import java.time.Duration;
import java.util.Optional;

/** A handle on a worker running in this JVM. Thread-safe. */
public interface Worker {

    /** The worker's id in its network. */
    String id();

    /** Whether its loop has ended. */
    boolean isStopped();

    /** How it ended, once it has stopped; empty while it runs. */
    Optional<WorkerExit> exit();

    /** Asks it to finish its current task and stop. Returns at once. */
    void terminate();

    /** Stops it now: its running task goes back to the queue (or fails, when out of attempts). */
    void kill();

    /** Waits up to {@code timeout} for the worker to stop; true if it did. */
    boolean join(Duration timeout) throws InterruptedException;
}
