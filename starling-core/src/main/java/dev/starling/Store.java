package dev.starling;

import dev.starling.internal.memory.MemoryStore;
import dev.starling.spi.StoreProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.InstantSource;
import java.util.ServiceLoader;

/**
 * Where networks keep their shared state. {@link #memory()} is the in-process default, with no server; other stores
 * (Redis) come from their own modules and open with {@link #open(String)}. Every store behaves the same: the same
 * contract suite runs against each. A store keeps time by its {@link Scheduler}: the timestamps it writes and the
 * heartbeats, sweeps and timeouts of the workers on it read the same clock. Implementations are thread-safe; close a
 * store when done with it. Stores are written against {@link dev.starling.spi.StoreBackend}.
 */
public interface Store extends AutoCloseable {

    /** A new, empty in-process store on the system scheduler. */
    static Store memory() {
        return memory(Scheduler.system());
    }

    /** A new, empty in-process store whose timestamps, heartbeats, sweeps and timeouts follow {@code scheduler}. */
    static Store memory(Scheduler scheduler) {
        return new MemoryStore(scheduler, Retention.KEEP);
    }

    /**
     * A new, empty in-process store on the system scheduler that keeps of completed tasks what {@code retention} says:
     * with {@link Retention#DROP_READ}, their inputs and outputs go once every open reader has read them.
     */
    static Store memory(Retention retention) {
        return new MemoryStore(Scheduler.system(), retention);
    }

    /**
     * Opens a store by location: {@code memory} for a new in-process store ({@code memory?retention=drop-read} for one
     * that drops the payloads of completed tasks every reader has read, see {@link Retention}), or a URI such as
     * {@code redis://host:6379} served by a {@link StoreProvider} on the class path.
     *
     * @throws StarlingException when the location is malformed or no provider serves its scheme
     */
    static Store open(String location) {
        if (location == null || location.isBlank() || location.equals("memory")) {
            return memory();
        }
        if (location.startsWith("memory?")) {
            return memory(memoryRetention(location));
        }
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new StarlingException("store location '" + location + "' is not a valid URI (" + e.getReason()
                    + "); use 'memory' or e.g. 'redis://localhost:6379'", e);
        }
        if (uri.getScheme() == null) {
            throw new StarlingException("store location '" + location + "' has no scheme; use 'memory' or e.g."
                    + " 'redis://localhost:6379'");
        }
        for (StoreProvider provider : ServiceLoader.load(StoreProvider.class)) {
            if (provider.supports(uri.getScheme())) {
                return provider.open(uri);
            }
        }
        throw new StarlingException("no store for scheme '" + uri.getScheme() + "' is on the class path; use"
                + " 'memory', or add the module that provides it (starling-redis for redis:// and rediss://)");
    }

    /** The retention a {@code memory?...} location asks for; its only parameter is {@code retention}. */
    private static Retention memoryRetention(String location) {
        String query = location.substring("memory?".length());
        String[] pair = query.split("=", 2);
        if (pair.length != 2 || !pair[0].equals("retention")) {
            throw new StarlingException("store location '" + location + "': the memory store takes one parameter,"
                    + " retention=keep|drop-read");
        }
        return switch (pair[1]) {
            case "keep" -> Retention.KEEP;
            case "drop-read" -> Retention.DROP_READ;
            default -> throw new StarlingException("store location '" + location + "': retention must be keep or"
                    + " drop-read, was '" + pair[1] + "'");
        };
    }

    /** The scheduler whose clock stamps tasks and judges heartbeats in this store, and whose timers run them. */
    Scheduler scheduler();

    /** The clock that stamps tasks and judges heartbeats in this store: the scheduler's. */
    default InstantSource clock() {
        return scheduler().clock();
    }

    /** Whether processes other than this one can open this store (a server store, not the in-process memory store). */
    default boolean isShared() {
        return true;
    }

    /** The names of the networks this store holds, sorted. */
    java.util.List<String> networks();

    /** Where the store is, as {@link #open(String)} accepts it, without any password. */
    String location();

    /**
     * The full location, credentials included, for starting processes that open this same store. Never print it;
     * {@link #location()} is the printable form.
     */
    default String url() {
        return location();
    }

    /** Releases the store's connections and threads. */
    @Override
    void close();
}
