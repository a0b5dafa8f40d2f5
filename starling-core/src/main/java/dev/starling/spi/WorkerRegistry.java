package dev.starling.spi;

import dev.starling.StopRequest;
import dev.starling.WorkerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The workers of one network: who registered, their heartbeats, states and stop requests. Implementations are
 * thread-safe.
 */
public interface WorkerRegistry {

    /**
     * Registers a RUNNING worker; the store stamps its start and first heartbeat and gives it the next ordinal.
     *
     * @throws dev.starling.StarlingException when a worker with this id is already registered
     */
    default WorkerInfo register(String id, String host, long pid, Duration heartbeatExpiry) {
        return register(id, host, pid, heartbeatExpiry, Set.of());
    }

    /**
     * Registers a RUNNING worker that carries {@code tags}: tasks routed to one of them are claimed only by workers
     * carrying it.
     *
     * @throws dev.starling.StarlingException when a worker with this id is already registered
     */
    WorkerInfo register(String id, String host, long pid, Duration heartbeatExpiry, Set<String> tags);

    /**
     * Records a heartbeat of a RUNNING worker (a worker in a terminal state stays as it is) and returns the worker
     * as now known, with any stop request addressed to it.
     *
     * @throws dev.starling.StarlingException when the worker is not registered
     */
    WorkerInfo heartbeat(String id);

    /** Asks a RUNNING worker to stop; no effect on a worker that already stopped or is unknown. */
    void requestStop(String id, StopRequest request);

    /** The worker with this id, if registered. */
    Optional<WorkerInfo> get(String id);

    /** All registered workers, by ordinal. */
    List<WorkerInfo> list();
}
