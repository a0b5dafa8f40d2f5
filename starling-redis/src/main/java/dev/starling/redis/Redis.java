package dev.starling.redis;

import dev.starling.StarlingException;
import dev.starling.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The connection pool and the Lua scripts, with Redis errors turned into messages that say what to do. Commands that
 * are safe to repeat are retried with backoff while the server is unreachable (a restart, a dropped connection);
 * the scripts that change state carry request ids or leases so that a repeat never applies a transition twice.
 * <p>The same URL serves a standalone server and any node of a Redis Cluster: the first contact asks the server
 * ({@code INFO cluster}) and, on a cluster, the client follows the cluster's slot map. Every key of one network shares
 * the hash tag {@code {name}}, so each script runs on the one node that holds its network. Thread-safe.
 */
final class Redis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Redis.class);
    static final String[] SCRIPTS = {"create_if_absent", "push", "reserve", "write", "push_running", "claim",
        "complete", "finish_and_claim", "fetch", "register", "heartbeat", "request_stop",
        "retire", "sweep", "workers", "set_budget", "set_attribute", "cancel", "subscribe", "replies",
        "release"};

    final RedisConfig config;
    final UnifiedJedis client;
    /** Whether the server is a node of a Redis Cluster. */
    final boolean cluster;
    private final Map<String, String> sources = new ConcurrentHashMap<>();
    private final Map<String, String> shas = new ConcurrentHashMap<>();
    private static final Duration OUTAGE_LOG_PERIOD = Duration.ofSeconds(10);
    /** When the current outage began (System.nanoTime), or 0 while Redis answers. */
    private volatile long unreachableSince;
    /** When the current outage was last logged; guarded by {@code this}. */
    private long lastOutageLog;

    Redis(RedisConfig config) {
        this.config = config;
        JedisClientConfig clientConfig = clientConfig(config);
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(config.poolSize());
        pool.setMaxIdle(config.poolSize());
        pool.setMinIdle(0);
        pool.setJmxEnabled(false);
        HostAndPort node = new HostAndPort(config.host(), config.port());
        UnifiedJedis first = RedisClient.builder().hostAndPort(node).clientConfig(clientConfig).poolConfig(pool)
                .build();
        boolean clustered;
        try {
            firstPing(first);
            clustered = clusterEnabled(first);
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
        if (clustered) {
            first.close();
            // A node that stops answering is tried again by our own retry, which knows the configured patience;
            // the cluster client's own attempts only follow redirections and a changed slot map.
            first = clusterClient(node, clientConfig, pool);
        }
        this.client = first;
        this.cluster = clustered;
        String prelude = resource("prelude");
        for (String name : SCRIPTS) {
            sources.put(name, prelude + "\n" + resource(name));
        }
        try {
            sources.keySet().forEach(this::load);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private RedisClusterClient clusterClient(HostAndPort node, JedisClientConfig clientConfig,
                                             GenericObjectPoolConfig<Connection> pool) {
        try {
            return RedisClusterClient.builder().nodes(Set.of(node)).clientConfig(clientConfig).poolConfig(pool)
                    .maxAttempts(5).maxTotalRetriesDuration(config.timeout().multipliedBy(2)).build();
        } catch (JedisClusterOperationException e) {
            // The slot map could not be read; the reason, e.g. a missing permission, is among the suppressed.
            for (Throwable cause : e.getSuppressed()) {
                if (String.valueOf(cause.getMessage()).startsWith("NOPERM")) {
                    throw denied((RuntimeException) cause);
                }
            }
            throw new Unreachable(this, new JedisConnectionException(e.getMessage(), e));
        }
    }

    private static JedisClientConfig clientConfig(RedisConfig config) {
        int timeout = (int) config.timeout().toMillis();
        DefaultJedisClientConfig.Builder clientConfig = DefaultJedisClientConfig.builder()
                .socketTimeoutMillis(timeout)
                // Blocking reads (BLPOP, XREAD BLOCK) wait at most a second; without a bound of their own Jedis
                // would wait on them forever, and a connection that went half-open during one would hang its
                // worker.
                .blockingSocketTimeoutMillis(timeout + 1_000)
                .connectionTimeoutMillis((int) config.connectTimeout().toMillis())
                .database(config.database())
                .clientName("starling");
        if (config.tls()) {
            // The given CA (or the JVM's trust store), the client's pair for mutual TLS, and host name verification.
            clientConfig.ssl(true)
                    .sslSocketFactory(Tls.socketFactory(config.caCert(), config.clientCert(), config.clientKey()))
                    .sslParameters(Tls.parameters());
        }
        if (config.user() != null) {
            clientConfig.user(config.user());
        }
        if (config.password() != null) {
            clientConfig.password(config.password());
        }
        return clientConfig.build();
    }

    /**
     * Whether the server runs in cluster mode. A user whose ACL does not allow INFO is taken to be on a standalone
     * server; on a cluster it needs {@code +info} (the README's rule says so).
     */
    private boolean clusterEnabled(UnifiedJedis first) {
        try {
            return call(first, c -> c.info("cluster")).contains("cluster_enabled:1");
        } catch (StarlingException deniedInfo) {
            if (deniedInfo instanceof Unreachable) {
                throw deniedInfo;
            }
            return false;
        }
    }

    /**
     * The first contact. With TLS 1.3 a server that requires a client certificate accepts the handshake and then
     * drops the connection, so a client without one sees a broken connection, not a TLS error: say what it means.
     */
    private void firstPing(UnifiedJedis first) {
        try {
            call(first, c -> c.ping());
        } catch (Unreachable e) {
            String message = String.valueOf(e.getMessage());
            if (config.tls() && config.clientCert() == null
                    && (message.contains("Broken pipe") || message.contains("Connection reset"))) {
                throw new StarlingException("TLS with Redis at " + config.location() + " failed: the server closed"
                        + " the connection after the handshake, as one that requires a client certificate does; give"
                        + " cert=FILE&key=FILE", e);
            }
            throw e;
        }
    }

    private static String resource(String name) {
        try (InputStream in = Redis.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("script " + name + ".lua is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String load(String name) {
        String sha = call(c -> c.scriptLoad(sources.get(name)));
        shas.put(name, sha);
        return sha;
    }

    /** Runs a script once on {@code keys}; reloads it when the server lost it (NOSCRIPT, e.g. after a restart). */
    Object script(String name, List<String> keys, List<String> args) {
        return call(c -> {
            try {
                return c.evalsha(shas.get(name), keys, args);
            } catch (JedisNoScriptException e) {
                return c.evalsha(load(name), keys, args);
            }
        });
    }

    /** The SHA of a loaded script, for pipelines. */
    String sha(String name) {
        return shas.get(name);
    }

    /** Reloads every script, after a pipeline met NOSCRIPT. */
    void reloadScripts() {
        sources.keySet().forEach(this::load);
    }

    /** Runs one command, translating Redis errors. */
    <T> T call(Function<UnifiedJedis, T> command) {
        return call(client, command);
    }

    private <T> T call(UnifiedJedis on, Function<UnifiedJedis, T> command) {
        return translated(() -> command.apply(on));
    }

    private <T> T translated(Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisAccessControlException e) {
            throw String.valueOf(e.getMessage()).startsWith("NOPERM") ? denied(e) : refused(e);
        } catch (JedisConnectionException e) {
            throw unreachableOrRefused(e);
        } catch (JedisDataException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")) {
                throw refused(e);
            }
            if (message.startsWith("NOPERM") || message.contains("can't run this command")) {
                throw denied(e);
            }
            if (e instanceof JedisMovedDataException && !cluster) {
                String user = config.user() == null ? "default" : config.user();
                throw new StarlingException("Redis at " + config.location() + " is a node of a Redis Cluster (it"
                        + " answered " + message + "), but the store took it for a standalone server: user " + user
                        + " may not run INFO, which tells them apart; grant it with ACL SETUSER " + user + " +info"
                        + " (the README lists what a cluster needs besides)", e);
            }
            if (message.startsWith("LOADING")) {
                // A restarted server reading its append-only file: as good as unreachable for a moment.
                throw new Unreachable(this, new JedisConnectionException(message, e));
            }
            throw e;
        } catch (JedisClusterOperationException e) {
            // The cluster client gave up on a node it could not reach (or found no node for a slot).
            throw new Unreachable(this, new JedisConnectionException(e.getMessage(), e));
        } catch (JedisException e) {
            // The pool wraps a failed connect: "Could not get a resource from the pool".
            if (e.getCause() instanceof JedisConnectionException cause) {
                throw unreachableOrRefused(cause);
            }
            throw e;
        }
    }

    /**
     * A failed connection: unreachable (worth retrying), unless TLS refused it, which retrying cannot mend; then an
     * error that names the certificate problem and what to give.
     */
    private StarlingException unreachableOrRefused(JedisConnectionException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof javax.net.ssl.SSLException tls) {
                return new StarlingException("TLS with Redis at " + config.location() + " failed: "
                        + tlsHint(tls), e);
            }
        }
        return new Unreachable(this, e);
    }

    private String tlsHint(javax.net.ssl.SSLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("PKIX") || message.contains("unable to find valid certification path")) {
            return "the server's certificate is not trusted by " + (config.caCert() == null
                    ? "the JVM's trust store; give the CA that signed it with ?cacert=FILE"
                    : "cacert=" + config.caCert() + "; give the CA file that signed the server's certificate")
                    + " (" + message + ")";
        }
        if (message.contains("No subject alternative") || message.contains("No name matching")) {
            return "the server's certificate does not name host " + config.host() + "; connect by a name it"
                    + " holds, or reissue it with that name (" + message + ")";
        }
        if (config.clientCert() == null && (message.contains("certificate_required")
                || message.contains("bad_certificate") || message.contains("handshake_failure"))) {
            return "the server wants a client certificate; give cert=FILE&key=FILE (" + message + ")";
        }
        return message + " (check cacert, cert and key)";
    }

    /**
     * Calls {@code each} with every key matching the glob {@code pattern}, through SCAN (no key is seen twice); on a
     * cluster, on every node, for a pattern without a hash tag spans them all.
     */
    void scanAll(String pattern, Consumer<String> each) {
        Set<String> seen = new HashSet<>();
        Consumer<String> once = key -> {
            if (seen.add(key)) {
                each.accept(key);
            }
        };
        if (client instanceof RedisClusterClient nodes) {
            for (ConnectionPool node : nodes.getClusterNodes().values()) {
                scan(pattern, once, (cursor, match) -> {
                    try (Connection connection = node.getResource()) {
                        return new Jedis(connection).scan(cursor, match);
                    }
                });
            }
        } else {
            scan(pattern, once, (cursor, match) -> client.scan(cursor, match));
        }
    }

    private void scan(String pattern, Consumer<String> each,
                      java.util.function.BiFunction<String, ScanParams, ScanResult<String>> page) {
        ScanParams match = new ScanParams().match(pattern).count(1_000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            String from = cursor;
            ScanResult<String> read = retried(() -> page.apply(from, match));
            read.getResult().forEach(each);
            cursor = read.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    /**
     * Every key that starts with {@code prefix}, a network's prefix, whose hash tag puts all of them in one slot. On
     * a cluster it asks only the node that serves that slot, and only for that slot's keys ({@code CLUSTER
     * GETKEYSINSLOT}): no SCAN over the other nodes or the other slots. On a standalone server, SCAN with the prefix
     * escaped (a '*' or '[' in a name must not match, and so delete, another network's keys).
     */
    List<String> keysWithPrefix(String prefix) {
        List<String> keys = new java.util.ArrayList<>();
        if (client instanceof RedisClusterClient nodes) {
            int slot = JedisClusterCRC16.getSlot(prefix);
            List<String> inSlot = retried(() -> {
                try (Connection connection = nodes.getConnectionFromSlot(slot)) {
                    Jedis node = new Jedis(connection);
                    long count = node.clusterCountKeysInSlot(slot);
                    return count == 0 ? List.<String>of() : node.clusterGetKeysInSlot(slot, (int) Math.min(count,
                            Integer.MAX_VALUE));
                }
            });
            inSlot.stream().filter(k -> k.startsWith(prefix)).forEach(keys::add);
        } else {
            Set<String> seen = new HashSet<>();
            scan(escapeGlob(prefix) + "*", k -> {
                if (seen.add(k)) {
                    keys.add(k);
                }
            }, (cursor, match) -> client.scan(cursor, match));
        }
        return keys;
    }

    /** {@code text} with the characters special in Redis glob patterns ({@code * ? [ ] \}) escaped. */
    static String escapeGlob(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Runs a command that is safe to repeat, retrying with backoff while Redis cannot be reached. */
    <T> T retrying(Function<UnifiedJedis, T> command) {
        return retried(() -> command.apply(client));
    }

    private <T> T retried(Supplier<T> command) {
        long deadline = System.nanoTime() + config.retry().toNanos();
        long backoffMillis = 50;
        while (true) {
            try {
                T result = translated(command);
                if (unreachableSince != 0) {
                    reachedAgain();
                }
                return result;
            } catch (Unreachable e) {
                if (System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
                    throw e;
                }
                unreachable(e);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMillis = Math.min(backoffMillis * 2, 500);
            }
        }
    }

    /**
     * Logs an outage once when it starts and then at most every {@link #OUTAGE_LOG_PERIOD}, however many threads
     * retry: a pool of workers waiting out a restart would otherwise write several lines a second each.
     */
    private void unreachable(Unreachable e) {
        long now = System.nanoTime();
        if (unreachableSince == 0) {
            synchronized (this) {
                if (unreachableSince == 0) {
                    unreachableSince = now;
                    lastOutageLog = now;
                    LOG.warn("{}; retrying (while it lasts, one line every {} s)", e.getMessage(),
                            OUTAGE_LOG_PERIOD.toSeconds());
                    return;
                }
            }
        }
        synchronized (this) {
            if (now - lastOutageLog >= OUTAGE_LOG_PERIOD.toNanos()) {
                lastOutageLog = now;
                LOG.warn("still cannot reach Redis at {} after {} s; retrying", config.location(),
                        (now - unreachableSince) / 1_000_000_000);
                return;
            }
        }
        LOG.debug("{}; retrying", e.getMessage());
    }

    private synchronized void reachedAgain() {
        if (unreachableSince != 0) {
            LOG.info("reached Redis at {} again after {} ms", config.location(),
                    (System.nanoTime() - unreachableSince) / 1_000_000);
            unreachableSince = 0;
        }
    }

    /** A script run that is safe to repeat; see {@link #retrying}. */
    Object retryingScript(String name, List<String> keys, List<String> args) {
        return retrying(c -> script(name, keys, args));
    }

    private static final Pattern SCRIPT_LINE = Pattern.compile("script: ([0-9a-f]{40}), on @user_script:(\\d+)");
    private static final Pattern NAMED_COMMAND = Pattern.compile("no permissions to run the '([^']+)' command");
    private static final Pattern CALLED = Pattern.compile("redis\\.p?call\\('([A-Za-z]+)'");

    /**
     * The user lacks a permission. Inside a script Redis names only the script and line, so the line is looked up in
     * the script's source to name the command.
     */
    private StarlingException denied(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        String user = config.user() == null ? "default" : config.user();
        String what;
        String grant;
        Matcher at = SCRIPT_LINE.matcher(message);
        boolean inScript = at.find();
        Matcher named = NAMED_COMMAND.matcher(message);
        if (!inScript && named.find()) {
            what = "the permission to run the command " + named.group(1);
            grant = "+" + named.group(1);
        } else if (message.contains("keys") || message.contains("key ")) {
            what = "access to Starling's keys (" + message + ")";
            grant = "~starling:*";
        } else if (inScript) {
            String script = shas.entrySet().stream().filter(x -> x.getValue().equals(at.group(1)))
                    .map(Map.Entry::getKey).findFirst().orElse("?");
            String[] lines = sources.getOrDefault(script, "").split("\n", -1);
            int line = Integer.parseInt(at.group(2));
            String source = line >= 1 && line <= lines.length ? lines[line - 1].trim() : "";
            Matcher called = CALLED.matcher(source);
            String command = called.find() ? called.group(1).toLowerCase(java.util.Locale.ROOT) : null;
            what = "the permission to run " + (command == null ? "the command on line " + line + " of script "
                    + script + " (" + source + ")" : "the command " + command + " (in script " + script + ", line "
                    + line + ")");
            grant = command == null ? "the commands the README lists" : "+" + command;
        } else {
            what = "a permission Starling needs (" + message + ")";
            grant = "the commands the README lists";
        }
        return new StarlingException("Redis at " + config.location() + " denied user " + user + " " + what
                + "; grant it with ACL SETUSER " + user + " " + grant + " (the README gives the whole least-privilege"
                + " rule)", e);
    }

    private StarlingException refused(RuntimeException e) {
        return new StarlingException("Redis at " + config.location() + " refused the credentials (" + e.getMessage()
                + "); check the user and password in the store URL (redis://user:password@host:port)", e);
    }

    /** The median round trip of {@code n} PINGs. */
    Duration medianPing(int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            call(c -> c.ping());
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        return Duration.ofNanos(nanos[n / 2]);
    }

    @Override
    public void close() {
        client.close();
    }

    /** Redis could not be reached. */
    static final class Unreachable extends StoreUnavailableException {
        Unreachable(Redis redis, JedisConnectionException cause) {
            super("cannot reach Redis at " + redis.config.location() + " (" + cause.getMessage()
                    + "); start the server, check the URL, or use the memory store", cause);
        }
    }
}
