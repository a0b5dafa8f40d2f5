package dev.starling.internal.memory;

import dev.starling.Retention;
import dev.starling.Scheduler;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.StoreBackend;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** The in-process store: networks in this JVM's memory, gone when it exits. Thread-safe. */
public final class MemoryStore implements StoreBackend {
    private final Scheduler scheduler;
    private final Retention retention;
    private final ConcurrentHashMap<String, MemoryNetworkStore> networks = new ConcurrentHashMap<>();

    /** A store whose networks keep of completed tasks what {@code retention} says. */
    public MemoryStore(Scheduler scheduler, Retention retention) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    @Override
    public NetworkStore network(String name) {
        return networks.computeIfAbsent(name, n -> new MemoryNetworkStore(n, scheduler.clock(), retention));
    }

    @Override
    public java.util.List<String> networks() {
        return networks.values().stream().filter(n -> n.settings().isPresent()).map(MemoryNetworkStore::name)
                .sorted().toList();
    }

    @Override
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public boolean isShared() {
        return false;
    }

    @Override
    public String location() {
        return "memory";
    }

    @Override
    public void close() {
        networks.clear();
    }

    @Override
    public String toString() {
        return "memory store";
    }
}
