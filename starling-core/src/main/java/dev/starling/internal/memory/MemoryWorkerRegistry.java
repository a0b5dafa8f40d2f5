package dev.starling.internal.memory;

import dev.starling.StarlingException;
import dev.starling.StopRequest;
import dev.starling.WorkerInfo;
import dev.starling.WorkerState;
import dev.starling.spi.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The workers of one network in memory: immutable snapshots in a concurrent map. Thread-safe. */
final class MemoryWorkerRegistry implements WorkerRegistry {
    private final String network;
    private final InstantSource clock;
    private final ConcurrentHashMap<String, WorkerInfo> workers = new ConcurrentHashMap<>();
    private final AtomicInteger ordinals = new AtomicInteger();

    MemoryWorkerRegistry(String network, InstantSource clock) {
        this.network = network;
        this.clock = clock;
    }

    @Override
    public WorkerInfo register(String id, String host, long pid, Duration heartbeatExpiry, Set<String> tags) {
        Instant now = clock.instant();
        return workers.compute(id, (key, existing) -> {
            if (existing != null) {
                throw new StarlingException("network '" + network + "' already has a worker '" + id
                        + "'; give each worker its own id");
            }
            return new WorkerInfo(id, ordinals.incrementAndGet(), host, pid, now, now, heartbeatExpiry,
                    WorkerState.RUNNING, StopRequest.NONE, null, 0, tags);
        });
    }

    @Override
    public WorkerInfo heartbeat(String id) {
        Instant now = clock.instant();
        WorkerInfo info = workers.computeIfPresent(id, (key, w) -> w.state() != WorkerState.RUNNING ? w
                : w.withHeartbeat(now));
        if (info == null) {
            throw unknown(id);
        }
        return info;
    }

    @Override
    public void requestStop(String id, StopRequest request) {
        workers.computeIfPresent(id, (key, w) -> w.state() != WorkerState.RUNNING
                || w.stopRequest().compareTo(request) >= 0 ? w : w.withStopRequest(request));
    }

    @Override
    public Optional<WorkerInfo> get(String id) {
        return Optional.ofNullable(workers.get(id));
    }

    @Override
    public List<WorkerInfo> list() {
        List<WorkerInfo> all = new ArrayList<>(workers.values());
        all.sort(Comparator.comparingInt(WorkerInfo::ordinal));
        return all;
    }

    /** The worker, or null when it never registered. */
    WorkerInfo find(String id) {
        return workers.get(id);
    }

    /** Whether the worker is registered and RUNNING. */
    boolean isRunning(String id) {
        WorkerInfo info = workers.get(id);
        return info != null && info.state() == WorkerState.RUNNING;
    }

    /**
     * Whether the worker is RUNNING.
     *
     * @throws StarlingException when it never registered
     */
    boolean checkRegistered(String id) {
        WorkerInfo info = workers.get(id);
        if (info == null) {
            throw unknown(id);
        }
        return info.state() == WorkerState.RUNNING;
    }

    /** Moves a RUNNING worker to {@code state}; false when it was not RUNNING. */
    boolean retire(String id, WorkerState state) {
        Instant now = clock.instant();
        boolean[] applied = {false};
        WorkerInfo info = workers.computeIfPresent(id, (key, w) -> {
            if (w.state() != WorkerState.RUNNING) {
                return w;
            }
            applied[0] = true;
            return w.withState(state, now);
        });
        if (info == null) {
            throw unknown(id);
        }
        return applied[0];
    }

    /** Adds to the count of tasks recovered from a worker. */
    void addRecovered(String id, int count) {
        workers.computeIfPresent(id, (key, w) -> w.withRecovered(count));
    }

    /** RUNNING workers whose heartbeat, counted from {@code since} on, expired at {@code now}. */
    List<String> expiredAt(Instant now, Instant since) {
        List<String> expired = new ArrayList<>();
        for (WorkerInfo w : workers.values()) {
            Instant beat = w.lastHeartbeat().isAfter(since) ? w.lastHeartbeat() : since;
            if (w.state() == WorkerState.RUNNING && beat.plus(w.heartbeatExpiry()).isBefore(now)) {
                expired.add(w.id());
            }
        }
        return expired;
    }

    private StarlingException unknown(String id) {
        return new StarlingException("network '" + network + "' has no worker '" + id
                + "'; a worker must register before it claims, creates or heartbeats");
    }
}
