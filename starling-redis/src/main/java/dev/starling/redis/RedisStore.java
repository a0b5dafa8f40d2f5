package dev.starling.redis;

import dev.starling.Scheduler;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.StoreBackend;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store in Redis or Valkey (6.2 or newer), shared by every process that opens the same URL. Open it with
 * {@code Store.open("redis://host:6379")} or {@link #open(String)}. The URL is
 * {@code redis://[user:password@]host[:port][/db][?pool=N&timeout=MS&connectTimeout=MS]}, {@code rediss://} for TLS.
 * The host may be any node of a Redis Cluster: the store finds out, and each network lives on the node that serves
 * its hash tag.
 * Thread-safe; close it to release its connections.
 */
public final class RedisStore implements StoreBackend {
    private final Redis redis;
    private final String url;
    private final Scheduler scheduler;
    private final ConcurrentHashMap<String, RedisNetworkStore> networks = new ConcurrentHashMap<>();

    private RedisStore(Redis redis, String url, Scheduler scheduler) {
        this.redis = redis;
        this.url = url;
        this.scheduler = scheduler;
    }

    /**
     * Connects to Redis on the system clock.
     *
     * @throws dev.starling.StarlingException when the URL is malformed, Redis cannot be reached, or it refuses the
     *                                        credentials; the message says which and what to do
     */
    public static RedisStore open(String url) {
        return open(url, Scheduler.system());
    }

    /** Connects to Redis; timestamps, heartbeats, sweeps and timeouts follow {@code scheduler}. */
    public static RedisStore open(String url, Scheduler scheduler) {
        return new RedisStore(new Redis(RedisConfig.parse(url)), url, Objects.requireNonNull(scheduler,
                "scheduler"));
    }

    @Override
    public NetworkStore network(String name) {
        return networks.computeIfAbsent(name, n -> new RedisNetworkStore(redis, n, scheduler.clock()));
    }

    /**
     * The networks whose settings key, {@code starling:{name}:settings}, exists, found with SCAN (a network exists
     * exactly while its settings do; names are cut from the key, so any character in them is fine). On a cluster
     * every node is scanned, for the networks are spread over them.
     */
    @Override
    public java.util.List<String> networks() {
        String head = RedisNetworkStore.HEAD;
        String tail = RedisNetworkStore.TAIL + RedisNetworkStore.SETTINGS;
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        redis.scanAll(head + "*" + tail, key -> names.add(key.substring(head.length(), key.length() - tail.length())));
        return java.util.List.copyOf(names);
    }

    @Override
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public String location() {
        return redis.config.location();
    }

    @Override
    public String url() {
        return url;
    }

    /** Whether the URL named a node of a Redis Cluster, whose slot map the store follows. */
    public boolean cluster() {
        return redis.cluster;
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
