package dev.starling.spi;

import dev.starling.NetworkSettings;
import dev.starling.Recovery;
import dev.starling.WorkerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The shared state of one network in one store: its settings, tasks, worker registry, event log and metrics, and the
 * operations that span tasks and workers. Implementations are thread-safe.
 */
public interface NetworkStore {

    /** The network's name. */
    String name();

    /** The settings the network was created with, or empty when it does not exist. */
    Optional<NetworkSettings> settings();

    /** Deletes whatever the network holds, then creates it afresh with {@code settings}. */
    void create(NetworkSettings settings);

    /**
     * Creates the network with {@code settings} unless it exists, atomically.
     *
     * @return the settings of the network, whichever existed or was created
     */
    NetworkSettings createIfAbsent(NetworkSettings settings);

    /** Deletes the network: settings, attributes, tasks, workers, events and metrics. */
    void delete();

    /**
     * Changes the most tasks the network will ever create, atomically with respect to task creation. A budget below
     * the tasks already created means no more are created.
     *
     * @throws dev.starling.StarlingException when the network does not exist
     */
    void setBudget(long budget);

    /**
     * The value of the network attribute {@code name}, or empty. Attributes are small documents that applications
     * keep beside a network (e.g. an optimization's search space), so that every worker reads the same.
     */
    Optional<String> attribute(String name);

    /**
     * Sets the network attribute {@code name} to {@code value}, replacing any earlier value.
     *
     * @throws dev.starling.StarlingException when the network does not exist
     */
    void setAttribute(String name, String value);

    /** The network's tasks. */
    TaskStore tasks();

    /** The network's worker registry. */
    WorkerRegistry workers();

    /** The network's per-worker event log. */
    EventLog events();

    /** The metrics the network records over time. */
    MetricLog metrics();

    /**
     * Moves a RUNNING worker to a terminal state and recovers its running tasks: each goes back to QUEUED, or to
     * FAILED (cause: worker lost) when it has been started {@code maxAttempts} times. Atomic per task; the first
     * writer wins against a concurrent finish or fail of the same task.
     *
     * @param state TERMINATED, KILLED or LOST
     * @return what was done; {@link Recovery#applied()} is false when the worker was no longer RUNNING
     */
    Recovery retire(String workerId, WorkerState state);

    /**
     * Finds RUNNING workers whose heartbeat expired at the store clock's now and retires them as LOST. Heartbeats
     * count only from {@code contactSince} on, the start of the caller's stretch of steady contact with the store: a
     * worker is lost when {@code max(lastHeartbeat, contactSince) + heartbeatExpiry < now}, so that heartbeats nobody
     * could write while the store was unreachable make nobody lost. Cheap to call often: when any caller swept less
     * than {@code minInterval} ago, it returns at once with nothing done.
     */
    List<Recovery> recoverLostWorkers(Duration minInterval, Instant contactSince);
}
