package dev.starling;

import java.time.Duration;
import java.time.Instant;

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
        int recovered) {
}
