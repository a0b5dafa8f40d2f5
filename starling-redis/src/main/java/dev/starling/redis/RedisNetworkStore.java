package dev.starling.redis;

import dev.starling.NetworkSettings;
import dev.starling.Recovery;
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
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One network in Redis, under the key prefix {@code starling:{name}:}. Every script is handed every key it touches:
 * the network's fixed keys ({@link #NAMES}) and, where a call needs them, the wake-up lists of routes and the reply
 * streams of channels. Thread-safe.
 */
final class RedisNetworkStore implements NetworkStore {
    private final Redis redis;
    private final String name;
    private final String prefix;
    private final InstantSource clock;
    /** Whether heartbeats are stamped and judged by the server's clock rather than {@link #clock}. */
    private final boolean serverClock;
    private final RedisTaskStore tasks;
    private final RedisWorkerRegistry workers;
    private final RedisEventLog events;
    private final RedisMetricLog metrics;
    private volatile NetworkSettings settings;
    private final List<String> fixedKeys;
    /** The reply streams of the channels that were open when last read, or null before the first read. */
    private volatile List<String> replyStreams;

    RedisNetworkStore(Redis redis, String name, InstantSource clock, boolean serverClock) {
        this.redis = redis;
        this.name = name;
        this.prefix = prefix(name);
        this.clock = clock;
        this.serverClock = serverClock;
        this.fixedKeys = NAMES.stream().map(n -> prefix + n).toList();
        this.tasks = new RedisTaskStore(this);
        this.workers = new RedisWorkerRegistry(this);
        this.events = new RedisEventLog(this);
        this.metrics = new RedisMetricLog(this);
    }

    /** What a network's key prefix has before and after its name, the keys' hash tag. */
    static final String HEAD = "starling:{";
    static final String TAIL = "}:";

    /** The prefix of every key of network {@code name}. */
    static String prefix(String name) {
        return HEAD + name + TAIL;
    }

    /** The key of a network's settings, under its prefix: present exactly while the network exists. */
    static final String SETTINGS = "settings";

    Redis redis() {
        return redis;
    }

    String prefix() {
        return prefix;
    }

    String now() {
        return Codec.micros(clock.instant());
    }

    /**
     * The instant argument of the scripts that stamp and judge heartbeats: {@code ''}, which makes them read the
     * server's clock, unless the store was opened on a scheduler of its own (a manual clock in tests), whose clock
     * then stands for everyone's.
     */
    String livenessNow() {
        return serverClock ? "" : now();
    }

    /**
     * The keys every script is given first, in prelude.lua's order of NAMES: all the network's keys whose names are
     * fixed. The keys with names of their own (wake-up lists of routes, reply streams of channels) follow them.
     */
    static final List<String> NAMES = List.of("settings", "counts", "seq", "queue", "wake", "done", "donewake",
            "workers", "ordinal", "sweep", "attributes", "tasks", "worker", "running", "rq", "channels", "pushids",
            "pushes");

    /** The fixed keys, then {@code more}: what a script call declares. */
    List<String> keys(List<String> more) {
        if (more.isEmpty()) {
            return fixedKeys;
        }
        List<String> keys = new ArrayList<>(fixedKeys.size() + more.size());
        keys.addAll(fixedKeys);
        keys.addAll(more);
        return keys;
    }

    /** Runs a script that is safe to repeat, translating Starling's script errors. */
    Object script(String script, List<String> args) {
        return script(script, List.of(), args);
    }

    /** Runs a script that is safe to repeat, declaring {@code more} keys after the fixed ones. */
    Object script(String script, List<String> more, List<String> args) {
        try {
            return redis.retryingScript(script, keys(more), args);
        } catch (JedisDataException e) {
            throw translate(e);
        }
    }

    /** Runs a script once, translating Starling's script errors. */
    Object scriptOnce(String script, List<String> args) {
        try {
            return redis.script(script, fixedKeys, args);
        } catch (JedisDataException e) {
            throw translate(e);
        }
    }

    /**
     * Runs a script that may complete tasks, and so publish to their submitters' reply streams, declaring the streams
     * of the channels open when this store last looked ({@code channels}). A script that finds a task of a channel
     * opened since then fails before it writes anything; the channels are then read again and the script rerun.
     *
     * @param once whether to run it once rather than retry while Redis cannot be reached
     */
    Object publishing(String script, List<String> more, List<String> args, boolean once) {
        for (int attempt = 0; ; attempt++) {
            List<String> declared = new ArrayList<>(more);
            declared.addAll(replyStreams(false));
            try {
                return once ? redis.script(script, keys(declared), args)
                        : redis.retryingScript(script, keys(declared), args);
            } catch (JedisDataException e) {
                if (attempt < 5 && String.valueOf(e.getMessage()).contains("STARLING undeclared-replies")) {
                    replyStreams(true);
                    continue;
                }
                throw translate(e);
            }
        }
    }

    /** The reply streams of the open channels, as last read, or read afresh. */
    private List<String> replyStreams(boolean afresh) {
        List<String> known = replyStreams;
        if (known == null || afresh) {
            Set<String> channels = redis.retrying(c -> c.smembers(prefix + "channels"));
            known = channels.stream().sorted().map(this::replyStream).toList();
            replyStreams = known;
        }
        return known;
    }

    /** The reply stream of {@code channel}. */
    String replyStream(String channel) {
        return prefix + "reply:" + channel;
    }

    /** The wake-up list of a route key ({@code w:ID}, {@code t:TAG}). */
    String wakeList(String route) {
        return prefix + "wake:" + route;
    }

    RuntimeException translate(JedisDataException e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("STARLING ");
        if (at < 0) {
            return new StarlingException("Redis rejected a command of network '" + name + "': " + message, e);
        }
        String[] code = message.substring(at + "STARLING ".length()).split("[ \\n]", 3);
        String subject = code.length > 1 ? code[1] : "";
        return switch (code[0]) {
            case "no-network" -> new StarlingException("network '" + name + "' does not exist in "
                    + redis.config.location() + "; create it first (e.g. from the controller)", e);
            case "unknown-worker" -> new StarlingException("network '" + name + "' has no worker '" + subject
                    + "'; a worker must register before it claims, creates or heartbeats", e);
            case "duplicate-worker" -> new StarlingException("network '" + name + "' already has a worker '"
                    + subject + "'; give each worker its own id", e);
            default -> new StarlingException("network '" + name + "': " + message, e);
        };
    }

    /** The network seed, for deriving task seeds. */
    long seed() {
        NetworkSettings known = settings;
        if (known == null) {
            known = settings().orElseThrow(() -> new StarlingException("network '" + name + "' does not exist in "
                    + redis.config.location() + "; create it first (e.g. from the controller)"));
        }
        return known.seed();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<NetworkSettings> settings() {
        List<String> v = redis.retrying(c -> c.hmget(prefix + SETTINGS, "seed", "budget", "maxAttempts"));
        if (v.get(0) == null) {
            return Optional.empty();
        }
        NetworkSettings read = parse(v);
        settings = read;
        return Optional.of(read);
    }

    private static NetworkSettings parse(List<?> v) {
        return new NetworkSettings(Long.parseLong(Codec.text(v.get(0))), Long.parseLong(Codec.text(v.get(1))),
                Integer.parseInt(Codec.text(v.get(2))));
    }

    @Override
    public void create(NetworkSettings settings) {
        delete();
        createIfAbsent(settings);
    }

    @Override
    public NetworkSettings createIfAbsent(NetworkSettings wanted) {
        List<?> v = (List<?>) script("create_if_absent", List.of(Long.toString(wanted.seed()),
                Long.toString(wanted.budget()), Integer.toString(wanted.maxAttempts())));
        NetworkSettings actual = parse(v);
        settings = actual;
        return actual;
    }

    @Override
    public void delete() {
        settings = null;
        List<String> keys = redis.keysWithPrefix(prefix);
        for (int from = 0; from < keys.size(); from += 1_000) {
            String[] some = keys.subList(from, Math.min(keys.size(), from + 1_000)).toArray(String[]::new);
            redis.retrying(c -> c.unlink(some));
        }
    }

    @Override
    public void setBudget(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must be zero or more, was " + budget);
        }
        script("set_budget", List.of(Long.toString(budget)));
        NetworkSettings known = settings;
        if (known != null) {
            settings = new NetworkSettings(known.seed(), budget, known.maxAttempts());
        }
    }

    @Override
    public Optional<String> attribute(String name) {
        return Optional.ofNullable(redis.retrying(c -> c.hget(prefix + "attributes", name)));
    }

    @Override
    public void setAttribute(String name, String value) {
        script("set_attribute", List.of(name, value));
    }

    @Override
    public TaskStore tasks() {
        return tasks;
    }

    @Override
    public WorkerRegistry workers() {
        return workers;
    }

    @Override
    public EventLog events() {
        return events;
    }

    @Override
    public MetricLog metrics() {
        return metrics;
    }

    @Override
    public Recovery retire(String workerId, WorkerState state) {
        if (state == WorkerState.RUNNING) {
            throw new IllegalArgumentException("a worker is retired to TERMINATED, KILLED or LOST, not RUNNING");
        }
        List<?> r = (List<?>) publishing("retire", List.of(), List.of(workerId, state.name(), now()), false);
        return new Recovery(workerId, state, number(r.get(0)) == 1, (int) number(r.get(1)), (int) number(r.get(2)));
    }

    @Override
    public List<Recovery> recoverLostWorkers(Duration minInterval, Instant contactSince) {
        // The stretch of steady contact goes as a duration: measured on this clock alone, it means the same on the
        // server's.
        long steadyMicros = Math.max(0, Duration.between(contactSince, clock.instant()).toNanos() / 1_000);
        List<?> r = (List<?>) publishing("sweep", List.of(), List.of(livenessNow(),
                Long.toString(minInterval.toNanos() / 1_000), Long.toString(steadyMicros)), false);
        List<Recovery> recoveries = new ArrayList<>();
        for (int i = 0; i + 3 <= r.size(); i += 3) {
            recoveries.add(new Recovery(Codec.text(r.get(i)), WorkerState.LOST, true, (int) number(r.get(i + 1)),
                    (int) number(r.get(i + 2))));
        }
        return recoveries;
    }

    static long number(Object value) {
        return value instanceof Long l ? l : Long.parseLong(Codec.text(value));
    }

    @Override
    public String toString() {
        return "network '" + name + "' in " + redis.config.location();
    }
}
