package dev.starling.redis;

import dev.starling.Scheduler;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.StoreBackend;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store in Redis or Valkey (6.2 or newer), shared by every process that opens the same URL. Open it with
 * {@code Store.open("redis://host:6379")} or {@link #open(String)}. The URL is
 * {@code redis://[user:password@]host[:port][/db][?pool=N&timeout=MS&connectTimeout=MS]}, {@code rediss://} for TLS.
 * The host may be any node of a Redis Cluster: the store finds out, and each network lives on the node that serves
 * its hash tag. The same settings can be given in Java through {@link #builder(String, int)}.
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

    /**
     * Connects to Redis; timestamps, heartbeats, sweeps and timeouts follow {@code scheduler}. On the system
     * scheduler (as {@link #open(String)} does) heartbeats are stamped, and their expiry judged, by the server's
     * clock, so machines whose clocks differ agree on who is lost; on any other scheduler (a manual one in tests)
     * its clock stands for everyone's.
     */
    public static RedisStore open(String url, Scheduler scheduler) {
        return new RedisStore(new Redis(RedisConfig.parse(url)), url, Objects.requireNonNull(scheduler,
                "scheduler"));
    }

    /**
     * A builder for a store on the server at {@code host:port}, for settings given in code rather than in a URL:
     * <pre>{@code
     * RedisStore store = RedisStore.builder("redis.internal", 6380)
     *         .tls(Path.of("ca.pem"))
     *         .clientCertificate(Path.of("client.pem"), Path.of("client.key"))
     *         .user("starling", password)
     *         .open();
     * }</pre>
     * The builder composes the URL that {@link #open(String)} takes, and that worker processes are handed in their
     * environment, so both ways configure a store the same and are checked by the same code.
     */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /**
     * Settings of a Redis store; {@link #open()} connects. Every setting has the URL's default. Not thread-safe;
     * {@link #url()} and {@link #open()} snapshot it.
     */
    public static final class Builder {
        private final String host;
        private final int port;
        private String user;
        private String password;
        private int database;
        private boolean tls;
        private Path caCert;
        private Path clientCert;
        private Path clientKey;
        private final Map<String, String> numbers = new LinkedHashMap<>();
        private Scheduler scheduler = Scheduler.system();

        private Builder(String host, int port) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1-65535, was " + port);
            }
            this.host = host;
            this.port = port;
        }

        /** Connects with TLS and trusts the PEM certificates in {@code caCert} (instead of the JVM's trust store). */
        public Builder tls(Path caCert) {
            this.tls = true;
            this.caCert = Objects.requireNonNull(caCert, "caCert");
            return this;
        }

        /** Connects with TLS, trusting the JVM's trust store. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** Presents this client certificate and its unencrypted PKCS #8 key (PEM files), for mutual TLS. */
        public Builder clientCertificate(Path cert, Path key) {
            this.clientCert = Objects.requireNonNull(cert, "cert");
            this.clientKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Authenticates as ACL user {@code user} (null for the default user) with {@code password}. */
        public Builder user(String user, String password) {
            this.user = user;
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** The database number (default 0). */
        public Builder database(int database) {
            if (database < 0) {
                throw new IllegalArgumentException("database must be zero or more, was " + database);
            }
            this.database = database;
            return this;
        }

        /** The most connections (default 64). */
        public Builder poolSize(int connections) {
            return number("pool", connections);
        }

        /** The socket timeout of one command (default 5 s). */
        public Builder timeout(Duration timeout) {
            return number("timeout", millis(timeout, "timeout"));
        }

        /** The timeout of connecting (default 2 s). */
        public Builder connectTimeout(Duration timeout) {
            return number("connectTimeout", millis(timeout, "connect timeout"));
        }

        /** How long one command is retried while Redis cannot be reached (default 15 s). */
        public Builder retry(Duration retry) {
            return number("retry", millis(retry, "retry"));
        }

        /** Timestamps, heartbeats, sweeps and timeouts follow {@code scheduler} (default the system's). */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        private static int millis(Duration d, String what) {
            if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return (int) Math.max(1, d.toMillis());
        }

        private Builder number(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            numbers.put(name, Integer.toString(value));
            return this;
        }

        /** The URL these settings stand for (with the password, for it configures a store; never log it). */
        public String url() {
            if (!tls && (clientCert != null)) {
                throw new IllegalStateException("a client certificate needs TLS: call tls(caCert) or tls() too");
            }
            StringBuilder url = new StringBuilder(tls ? "rediss://" : "redis://");
            if (password != null) {
                url.append(user == null ? "" : encode(user)).append(':').append(encode(password)).append('@');
            }
            url.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port);
            if (database != 0) {
                url.append('/').append(database);
            }
            Map<String, String> query = new LinkedHashMap<>(numbers);
            if (caCert != null) {
                query.put("cacert", caCert.toString());
            }
            if (clientCert != null) {
                query.put("cert", clientCert.toString());
                query.put("key", clientKey.toString());
            }
            String sep = "?";
            for (Map.Entry<String, String> e : query.entrySet()) {
                // Paths stay readable: a '/' needs no escaping in a query.
                url.append(sep).append(e.getKey()).append('=').append(encode(e.getValue()).replace("%2F", "/"));
                sep = "&";
            }
            return url.toString();
        }

        /**
         * Connects.
         *
         * @throws dev.starling.StarlingException as {@link RedisStore#open(String)} does
         */
        public RedisStore open() {
            return RedisStore.open(url(), scheduler);
        }

        private static String encode(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    @Override
    public NetworkStore network(String name) {
        return networks.computeIfAbsent(name, n -> new RedisNetworkStore(redis, n, scheduler.clock(),
                scheduler == Scheduler.system()));
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
