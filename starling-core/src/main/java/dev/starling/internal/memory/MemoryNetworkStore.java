package dev.starling.internal.memory;

import dev.starling.NetworkSettings;
import dev.starling.Recovery;
import dev.starling.Retention;
import dev.starling.StarlingException;
import dev.starling.WorkerState;
import dev.starling.spi.EventLog;
import dev.starling.spi.MetricLog;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.TaskStore;
import dev.starling.spi.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One network in memory. Creating or deleting it swaps in a fresh state, so operations of workers that still hold
 * the old state cannot touch the new one. Thread-safe.
 */
final class MemoryNetworkStore implements NetworkStore {
    private final String name;
    private final InstantSource clock;
    private final Retention retention;
    private volatile State state;
    private final AtomicReference<Instant> lastSweep = new AtomicReference<>(Instant.MIN);

    private record State(NetworkSettings settings, MemoryTaskStore tasks, MemoryWorkerRegistry workers,
                         MemoryEventLog events, MemoryMetricLog metrics, Map<String, String> attributes) {
    }

    MemoryNetworkStore(String name, InstantSource clock, Retention retention) {
        this.name = name;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<NetworkSettings> settings() {
        State current = state;
        return current == null ? Optional.empty() : Optional.of(current.settings());
    }

    @Override
    public synchronized void create(NetworkSettings settings) {
        MemoryWorkerRegistry workers = new MemoryWorkerRegistry(name, clock);
        state = new State(settings, new MemoryTaskStore(name, settings, clock, workers, retention), workers,
                new MemoryEventLog(), new MemoryMetricLog(), new ConcurrentHashMap<>());
        lastSweep.set(Instant.MIN);
    }

    @Override
    public synchronized NetworkSettings createIfAbsent(NetworkSettings settings) {
        if (state == null) {
            create(settings);
        }
        return state.settings();
    }

    @Override
    public synchronized void delete() {
        state = null;
    }

    @Override
    public synchronized void setBudget(long budget) {
        State current = state();
        NetworkSettings changed = new NetworkSettings(current.settings().seed(), budget,
                current.settings().maxAttempts());
        current.tasks().setBudget(budget);
        state = new State(changed, current.tasks(), current.workers(), current.events(), current.metrics(),
                current.attributes());
    }

    @Override
    public Optional<String> attribute(String name) {
        State current = state;
        return current == null ? Optional.empty() : Optional.ofNullable(current.attributes().get(name));
    }

    @Override
    public void setAttribute(String name, String value) {
        state().attributes().put(name, value);
    }

    private State state() {
        State current = state;
        if (current == null) {
            throw new StarlingException("network '" + name + "' does not exist in this store; create it first"
                    + " (Network.builder(store, \"" + name + "\").create(), or Network.open)");
        }
        return current;
    }

    @Override
    public TaskStore tasks() {
        return state().tasks();
    }

    @Override
    public WorkerRegistry workers() {
        return state().workers();
    }

    @Override
    public EventLog events() {
        return state().events();
    }

    @Override
    public MetricLog metrics() {
        return state().metrics();
    }

    @Override
    public Recovery retire(String workerId, WorkerState target) {
        if (target == WorkerState.RUNNING) {
            throw new IllegalArgumentException("a worker is retired to TERMINATED, KILLED or LOST, not RUNNING");
        }
        State current = state();
        boolean applied = current.workers().retire(workerId, target);
        // Recover even when someone else retired the worker first: recovery is idempotent per task (leases).
        int[] recovered = current.tasks().recoverAll(workerId);
        return new Recovery(workerId, target, applied, recovered[0], recovered[1]);
    }

    @Override
    public List<Recovery> recoverLostWorkers(Duration minInterval, Instant contactSince) {
        State current = state();
        Instant now = clock.instant();
        Instant last = lastSweep.get();
        boolean sweptRecently = !minInterval.isZero() && last.plus(minInterval).isAfter(now);
        if (sweptRecently || !lastSweep.compareAndSet(last, now)) {
            return List.of();
        }
        List<Recovery> recoveries = new ArrayList<>();
        for (String worker : current.workers().expiredAt(now, contactSince)) {
            Recovery recovery = retire(worker, WorkerState.LOST);
            if (recovery.applied()) {
                recoveries.add(recovery);
            }
        }
        return recoveries;
    }
}
