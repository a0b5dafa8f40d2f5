package dev.starling.internal.memory;

import dev.starling.Store;
import dev.starling.spi.NetworkStore;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** The in-process store: networks in this JVM's memory, gone when it exits. Thread-safe. */
public final class MemoryStore implements Store {
    private final InstantSource clock;
    private final ConcurrentHashMap<String, MemoryNetworkStore> networks = new ConcurrentHashMap<>();

    public MemoryStore(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public NetworkStore network(String name) {
        return networks.computeIfAbsent(name, n -> new MemoryNetworkStore(n, clock));
    }

    @Override
    public InstantSource clock() {
        return clock;
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
