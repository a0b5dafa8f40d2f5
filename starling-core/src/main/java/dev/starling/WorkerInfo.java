package dev.starling;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * A worker as the registry knows it. Immutable.
 *
 * @param id              the worker's id, unique in its network
 * @param ordinal         the order of registration in the network, from 1
 * @param host            the host it runs on
 * @param pid             its process id
 * @param started         when it registered
 * @param lastHeartbeat   its last heartbeat
 * @param heartbeatExpiry how long after its last heartbeat it counts as lost
 * @param state           its state
 * @param stopRequest     what a controller asked it to do
 * @param stopped         when it stopped, or null while RUNNING
 * @param recovered       how many of its running tasks were recovered after it was lost or killed
 * @param tags            the tags it declared when it started; tasks routed to one of them run only on workers
 *                        carrying it
 */
public record WorkerInfo(
        String id,
        int ordinal,
        String host,
        long pid,
        Instant started,
        Instant lastHeartbeat,
        Duration heartbeatExpiry,
        WorkerState state,
        StopRequest stopRequest,
        Instant stopped,
        int recovered,
        Set<String> tags) {

    public WorkerInfo {
        tags = Set.copyOf(tags);
    }

    /** This worker with a heartbeat at {@code now}. */
    public WorkerInfo withHeartbeat(Instant now) {
        return new WorkerInfo(id, ordinal, host, pid, started, now, heartbeatExpiry, state, stopRequest, stopped,
                recovered, tags);
    }

    /** This worker with the stop request {@code request}. */
    public WorkerInfo withStopRequest(StopRequest request) {
        return new WorkerInfo(id, ordinal, host, pid, started, lastHeartbeat, heartbeatExpiry, state, request, stopped,
                recovered, tags);
    }

    /** This worker moved to {@code next} at {@code at}. */
    public WorkerInfo withState(WorkerState next, Instant at) {
        return new WorkerInfo(id, ordinal, host, pid, started, lastHeartbeat, heartbeatExpiry, next, stopRequest, at,
                recovered, tags);
    }

    /** This worker with {@code more} tasks recovered. */
    public WorkerInfo withRecovered(int more) {
        return new WorkerInfo(id, ordinal, host, pid, started, lastHeartbeat, heartbeatExpiry, state, stopRequest,
                stopped, recovered + more, tags);
    }
}
