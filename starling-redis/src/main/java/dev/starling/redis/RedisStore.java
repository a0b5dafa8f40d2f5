package dev.starling.redis;

import dev.starling.Store;
import dev.starling.spi.NetworkStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store in Redis or Valkey (6.2 or newer), shared by every process that opens the same URL. Open it with
 * {@code Store.open("redis://host:6379")} or {@link #open(String)}. The URL is
 * {@code redis://[user:password@]host[:port][/db][?pool=N&timeout=MS&connectTimeout=MS]}, {@code rediss://} for TLS.
 * Thread-safe; close it to release its connections.
 */
public final class RedisStore implements Store {
    private final Redis redis;
    private final String url;
    private final InstantSource clock;
    private final ConcurrentHashMap<String, RedisNetworkStore> networks = new ConcurrentHashMap<>();

    private RedisStore(Redis redis, String url, InstantSource clock) {
        this.redis = redis;
        this.url = url;
        this.clock = clock;
    }

    /**
     * Connects to Redis on the system clock.
     *
     * @throws dev.starling.StarlingException when the URL is malformed, Redis cannot be reached, or it refuses the
     *                                        credentials; the message says which and what to do
     */
    public static RedisStore open(String url) {
        return open(url, InstantSource.system());
    }

    /** Connects to Redis; timestamps, heartbeats and expiries read {@code clock}. */
    public static RedisStore open(String url, InstantSource clock) {
        return new RedisStore(new Redis(RedisConfig.parse(url)), url, Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public NetworkStore network(String name) {
        return networks.computeIfAbsent(name, n -> new RedisNetworkStore(redis, n, clock));
    }

    @Override
    public InstantSource clock() {
        return clock;
    }

    @Override
    public String location() {
        return redis.config.location();
    }

    @Override
    public String url() {
        return url;
    }

    /** The median round trip of {@code n} PINGs to the server, the physical floor of every operation. */
    public Duration medianPing(int n) {
        return redis.medianPing(n);
    }

    @Override
    public void close() {
        redis.close();
    }

    @Override
    public String toString() {
        return "Redis store at " + location();
    }
}
