package dev.starling.redis;

import dev.starling.BudgetExhaustedException;
import dev.starling.Seeds;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.TaskError;
import dev.starling.TaskState;
import dev.starling.spi.Lease;
import dev.starling.TaskPage;
import dev.starling.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The tasks of one network in Redis: one hash of packed task records, a list as the shared queue and one sorted set
 * for the routed queues, a list of completions, a sorted set of running tasks by worker, and a hash of counts. Every
 * transition is one script. Thread-safe.
 */
final class RedisTaskStore implements TaskStore {
    /** Pushes up to this many tasks go in one script; larger ones reserve ids, then write pipelined chunks. */
    static final int CHUNK = 1_000;
    /** Fields of a task's record in the {@code tasks} hash: prelude.lua's TASK_WIDTH (a reply's, less the id, plus the
     * reply channel and the route). */
    static final int RECORD_WIDTH = 14;

    private final RedisNetworkStore network;
    private final Redis redis;
    private final String prefix;
    private final Map<String, String[]> wakeKeys = new ConcurrentHashMap<>();
    private final String[] doneWake;
    /** The last reply delivered from each channel read here; a channel has one reader at a time. */
    private final Map<String, String> replyCursors = new ConcurrentHashMap<>();
    private final Requests claims = new Requests();
    private final Requests creations = new Requests();

    RedisTaskStore(RedisNetworkStore network) {
        this.network = network;
        this.redis = network.redis();
        this.prefix = network.prefix();
        this.doneWake = new String[] {prefix + "donewake"};
    }

    /** A request id for the scripts that must not apply twice when retried; unique enough per network. */
    private static String request() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }

    @Override
    public List<Long> push(List<String> xs, List<String> routes, String replyTo) {
        if (xs.isEmpty()) {
            return List.of();
        }
        if (routes != null && routes.size() != xs.size()) {
            throw new IllegalArgumentException("need one route per task: " + routes.size() + " routes for "
                    + xs.size() + " tasks");
        }
        boolean routed = routes != null && routes.stream().anyMatch(r -> !r.isEmpty());
        String reply = replyTo == null ? "" : replyTo;
        String request = request();
        long first;
        if (xs.size() <= CHUNK) {
            List<String> args = new ArrayList<>(2 * xs.size() + 5);
            args.add(request);
            args.add(network.now());
            args.add(reply);
            args.add(Integer.toString(xs.size()));
            args.add(routed ? "1" : "0");
            if (routed) {
                args.addAll(routes);
            }
            args.addAll(xs);
            first = reserved((List<?>) network.script("push", routeWakes(routed ? routes : null), args), xs.size());
        } else {
            first = reserved((List<?>) network.script("reserve", List.of(request, Integer.toString(xs.size()),
                    network.now())), xs.size());
            writeChunks(first, xs, routed ? routes : null, reply);
        }
        List<Long> ids = new ArrayList<>(xs.size());
        for (int i = 0; i < xs.size(); i++) {
            ids.add(first + i);
        }
        return ids;
    }

    /** The wake-up lists of the routes in {@code routes} (null for none), which a push of routed tasks declares. */
    private List<String> routeWakes(List<String> routes) {
        if (routes == null) {
            return List.of();
        }
        return routes.stream().filter(r -> !r.isEmpty()).distinct().map(network::wakeList).toList();
    }

    private long reserved(List<?> reply, int n) {
        long first = RedisNetworkStore.number(reply.get(0));
        if (first < 0) {
            throw new BudgetExhaustedException(network.name(), network.settings().orElseThrow().budget(),
                    RedisNetworkStore.number(reply.get(1)), n);
        }
        return first;
    }

    private void writeChunks(long first, List<String> xs, List<String> routes, String reply) {
        String now = network.now();
        redis.retrying(c -> {
            for (int attempt = 0; ; attempt++) {
                try (AbstractPipeline pipeline = c.pipelined()) {
                    List<Response<Object>> written = new ArrayList<>();
                    for (int from = 0; from < xs.size(); from += CHUNK) {
                        List<String> chunk = xs.subList(from, Math.min(xs.size(), from + CHUNK));
                        List<String> args = new ArrayList<>(2 * chunk.size() + 5);
                        args.add(now);
                        args.add(Long.toString(first + from));
                        args.add(reply);
                        args.add(Integer.toString(chunk.size()));
                        args.add(routes != null ? "1" : "0");
                        if (routes != null) {
                            args.addAll(routes.subList(from, from + chunk.size()));
                        }
                        args.addAll(chunk);
                        written.add(pipeline.evalsha(redis.sha("write"), network.keys(routeWakes(routes == null ? null
                                : routes.subList(from, from + chunk.size()))), args));
                    }
                    pipeline.sync();
                    // A pipeline does not throw for one command's error: ask each reply, or a chunk that a
                    // restarted server refused (NOSCRIPT, LOADING) is lost while its ids are handed out. Found by
                    // the chaos soak: 4,000 pushed ids were never written.
                    written.forEach(Response::get);
                    return null;
                } catch (JedisNoScriptException e) {
                    if (attempt > 0) {
                        throw e;
                    }
                    redis.reloadScripts();
                }
            }
        });
    }

    /**
     * The numbers of workers' requests of one kind (claims, or creations of running tasks), which the scripts use to
     * tell a retry from a new request and from a late copy of an older one. Numbers rise across the JVM. A request
     * whose answer did not arrive (the call threw) keeps its number, and the worker's next request of that kind
     * repeats it: the tasks the lost answer held are handed back instead of being left running under a worker that
     * never heard of them.
     */
    private static final class Requests {
        private static final AtomicLong NEXT = new AtomicLong(System.currentTimeMillis() * 1_000);
        private final Map<String, Long> unanswered = new ConcurrentHashMap<>();

        /** Whether {@code worker}'s last request of this kind went unanswered. */
        boolean unanswered(String worker) {
            return unanswered.containsKey(worker);
        }

        /** The number of {@code worker}'s next request: the unanswered one's, or a new one. */
        String next(String worker) {
            return Long.toString(unanswered.computeIfAbsent(worker, w -> NEXT.incrementAndGet()));
        }

        /** Records that the request numbered {@code number} was answered. */
        void answered(String worker, String number) {
            unanswered.remove(worker, Long.parseLong(number));
        }
    }

    @Override
    public Optional<Task> pushRunning(String worker, String xs) {
        String now = network.now();
        boolean repeat = creations.unanswered(worker);
        String request = creations.next(worker);
        long id = RedisNetworkStore.number(network.script("push_running", List.of(worker, now, xs, request)));
        creations.answered(worker, request);
        if (id == -2) {
            throw new IllegalStateException("worker " + worker + " sent request " + request + " after a newer one");
        }
        if (id <= 0) {
            return Optional.empty();
        }
        if (repeat) {
            // The task may be the one the unanswered request created, with that request's inputs.
            return get(id).filter(t -> t.state() == TaskState.RUNNING && worker.equals(t.worker()));
        }
        Instant started = Codec.instant(now);
        return Optional.of(new Task(id, TaskState.RUNNING, xs, null, worker, 1, Seeds.task(network.seed(), id),
                started, started, null, null));
    }

    @Override
    public List<Task> claim(String worker, int max, Duration timeout) throws InterruptedException {
        if (max < 1) {
            return List.of();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String request = claims.next(worker);
        String count = Integer.toString(max);
        while (true) {
            Object reply = network.script("claim", ownWakes(worker), List.of(worker, network.now(), request, count));
            if (!(reply instanceof List<?> fields)) {
                claims.answered(worker, request);
                return List.of();
            }
            if (!fields.isEmpty()) {
                claims.answered(worker, request);
                return tasks(fields, 0);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                claims.answered(worker, request);
                return List.of();
            }
            waitFor(wakeKeys(worker), remaining);
        }
    }

    /**
     * The wake-up lists a worker waits on: its own route's, its tags' and the shared one. Tags are fixed when a
     * worker registers, so they are read once per worker.
     */
    private String[] wakeKeys(String worker) {
        return wakeKeys.computeIfAbsent(worker, w -> {
            String record = redis.retrying(c -> c.hget(prefix + "worker", w));
            String tags = record == null ? "" : Codec.fields(record, RedisWorkerRegistry.RECORD_WIDTH).get(11);
            List<String> keys = new ArrayList<>();
            keys.add(network.wakeList("w:" + w));
            if (!tags.isEmpty()) {
                for (String tag : tags.split(",")) {
                    keys.add(network.wakeList("t:" + tag));
                }
            }
            keys.add(prefix + "wake");
            return keys.toArray(String[]::new);
        });
    }

    /** The wake-up lists of {@code worker}'s own routes, which its claims and releases declare. */
    private List<String> ownWakes(String worker) {
        String[] keys = wakeKeys(worker);
        return Arrays.asList(keys).subList(0, keys.length - 1);
    }

    /** The tasks whose fields follow one another in {@code fields} from {@code offset} on. */
    private List<Task> tasks(List<?> fields, int offset) {
        List<Task> tasks = new ArrayList<>((fields.size() - offset) / Codec.TASK_WIDTH);
        for (int i = offset; i + Codec.TASK_WIDTH <= fields.size(); i += Codec.TASK_WIDTH) {
            tasks.add(Codec.task(fields, i, network.seed()));
        }
        return tasks;
    }

    @Override
    public int release(List<Lease> leases) {
        if (leases.isEmpty()) {
            return 0;
        }
        Map<String, List<Lease>> byWorker = new LinkedHashMap<>();
        leases.forEach(l -> byWorker.computeIfAbsent(l.worker(), w -> new ArrayList<>()).add(l));
        int released = 0;
        for (Map.Entry<String, List<Lease>> e : byWorker.entrySet()) {
            List<String> args = new ArrayList<>(1 + 2 * e.getValue().size());
            args.add(e.getKey());
            for (Lease l : e.getValue()) {
                args.add(Long.toString(l.taskId()));
                args.add(Integer.toString(l.attempt()));
            }
            released += (int) RedisNetworkStore.number(network.script("release", ownWakes(e.getKey()), args));
        }
        return released;
    }

    /** Blocks until a token arrives on one of the wake-up lists {@code keys}, at most {@code nanos} (and 1 s). */
    private void waitFor(String[] keys, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        double seconds = Math.max(0.01, Math.min(1.0, nanos / 1e9));
        redis.retrying(c -> c.blpop(seconds, keys));
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    @Override
    public boolean finish(Lease lease, String ys) {
        return complete(lease, TaskState.FINISHED, ys, null);
    }

    @Override
    public boolean fail(Lease lease, TaskError error) {
        return complete(lease, TaskState.FAILED, "", error);
    }

    private boolean complete(Lease lease, TaskState state, String ys, TaskError error) {
        List<String> args = Arrays.asList(Long.toString(lease.taskId()), lease.worker(),
                Integer.toString(lease.attempt()), state.name(), network.now(), ys,
                error == null ? "" : error.kind().name(), error == null ? "" : Codec.clean(error.type()),
                error == null ? "" : Codec.clean(error.message()), error == null ? "" : Codec.clean(error.stackTrace()));
        try {
            return RedisNetworkStore.number(network.publishing("complete", List.of(), args, true)) == 1;
        } catch (Redis.Unreachable e) {
            // The first try may have applied before the connection dropped: retry, then tell an applied first try
            // from a lost race by reading the task.
            boolean applied = RedisNetworkStore.number(network.publishing("complete", List.of(), args, false)) == 1;
            return applied || get(lease.taskId()).filter(t -> t.state() == state
                    && lease.worker().equals(t.worker()) && t.attempts() == lease.attempt()).isPresent();
        }
    }

    @Override
    public FinishAndClaim finishAndClaim(List<Finish> finishes, String worker, int max, Duration timeout)
            throws InterruptedException {
        for (Finish f : finishes) {
            if (!f.lease().worker().equals(worker)) {
                throw new IllegalArgumentException("task " + f.lease().taskId() + " runs under worker "
                        + f.lease().worker() + ", not " + worker);
            }
        }
        List<String> args = new ArrayList<>(5 + 3 * finishes.size());
        String request = max > 0 ? claims.next(worker) : "0";
        args.add(worker);
        args.add(network.now());
        args.add(request);
        args.add(Integer.toString(Math.max(0, max)));
        args.add(Integer.toString(finishes.size()));
        for (Finish f : finishes) {
            args.add(Long.toString(f.lease().taskId()));
            args.add(Integer.toString(f.lease().attempt()));
            args.add(f.ys());
        }
        List<?> r = (List<?>) network.publishing("finish_and_claim", ownWakes(worker), args, false);
        if (max > 0) {
            claims.answered(worker, request);
        }
        int lostCount = (int) RedisNetworkStore.number(r.get(0));
        List<Long> lost = new ArrayList<>(lostCount);
        for (int i = 1; i <= lostCount; i++) {
            lost.add(RedisNetworkStore.number(r.get(i)));
        }
        int rest = 1 + lostCount;
        boolean stopped = r.size() == rest + 1 && r.get(rest) instanceof Long;
        List<Task> next = stopped ? List.of() : tasks(r, rest);
        if (next.isEmpty() && !stopped && max > 0 && !timeout.isZero()) {
            // The script found the queue empty: wait for a push before claiming again.
            long deadline = System.nanoTime() + timeout.toNanos();
            waitFor(wakeKeys(worker), timeout.toNanos());
            next = claim(worker, max, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return new FinishAndClaim(lost, next);
    }

    @Override
    public List<Long> cancel(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(ids.size() + 1);
        args.add(network.now());
        ids.forEach(id -> args.add(Long.toString(id)));
        List<?> reply;
        try {
            reply = (List<?>) network.publishing("cancel", List.of(), args, true);
        } catch (Redis.Unreachable e) {
            // The first try may have applied before the connection dropped; then the tasks read CANCELLED.
            network.publishing("cancel", List.of(), args, false);
            return ids.stream().filter(id -> get(id).filter(t -> t.state() == TaskState.CANCELLED).isPresent())
                    .toList();
        }
        return reply.stream().map(RedisNetworkStore::number).toList();
    }

    @Override
    public List<Task> subscribe(String channel, List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(ids.size() + 1);
        args.add(channel);
        ids.forEach(id -> args.add(Long.toString(id)));
        List<?> reply = (List<?>) network.script("subscribe", List.of(network.replyStream(channel)), args);
        List<Task> tasks = new ArrayList<>(reply.size() / Codec.TASK_WIDTH);
        for (int i = 0; i + Codec.TASK_WIDTH <= reply.size(); i += Codec.TASK_WIDTH) {
            tasks.add(Codec.task(reply, i, network.seed()));
        }
        return tasks;
    }

    @Override
    public List<Task> awaitReplies(String channel, int max, Duration timeout) throws InterruptedException {
        String last = replyCursors.getOrDefault(channel, "0-0");
        List<?> ready = (List<?>) network.script("replies", List.of(network.replyStream(channel)),
                List.of(channel, next(last), Integer.toString(max)));
        List<Task> tasks = new ArrayList<>(ready.size() / 2);
        for (int i = 0; i + 1 < ready.size(); i += 2) {
            last = Codec.text(ready.get(i));
            Codec.packedRecords(Codec.text(ready.get(i + 1)), network.seed(), tasks);
        }
        if (tasks.isEmpty() && !timeout.isZero()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            // Blocks at most a second at a time, well inside the socket timeout.
            int block = (int) Math.max(1, Math.min(1_000, timeout.toMillis()));
            StreamEntryID from = new StreamEntryID(last);
            String key = network.replyStream(channel);
            List<Map.Entry<String, List<StreamEntry>>> read = redis.retrying(c -> c.xread(
                    XReadParams.xReadParams().count(max).block(block), Map.of(key, from)));
            if (read != null) {
                for (Map.Entry<String, List<StreamEntry>> stream : read) {
                    for (StreamEntry entry : stream.getValue()) {
                        last = entry.getID().toString();
                        Codec.packedRecords(entry.getFields().get("t"), network.seed(), tasks);
                    }
                }
            }
        }
        replyCursors.put(channel, last);
        return tasks;
    }

    /** The smallest stream entry id after {@code id}. */
    private static String next(String id) {
        int dash = id.indexOf('-');
        return id.substring(0, dash) + "-" + (Long.parseLong(id.substring(dash + 1)) + 1);
    }

    @Override
    public void closeChannel(String channel) {
        replyCursors.remove(channel);
        redis.retrying(c -> c.srem(prefix + "channels", channel));
        redis.retrying(c -> c.del(network.replyStream(channel)));
    }

    @Override
    public Optional<Task> get(long id) {
        String record = redis.retrying(c -> c.hget(prefix + "tasks", Long.toString(id)));
        if (record == null) {
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>(Codec.TASK_WIDTH);
        fields.add(Long.toString(id));
        fields.addAll(Codec.fields(record, RECORD_WIDTH).subList(0, Codec.TASK_WIDTH - 1));
        return Optional.of(Codec.task(fields, 0, network.seed()));
    }

    @Override
    public List<Task> fetch(TaskState state) {
        if (state.isTerminal()) {
            return completedSince(0, Integer.MAX_VALUE).tasks().stream().filter(t -> t.state() == state).toList();
        }
        return Codec.packedTasks((List<?>) network.script("fetch", List.of(state.name())), 0, network.seed());
    }

    @Override
    public TaskPage completedSince(long cursor, int limit) {
        if (limit < 1) {
            return new TaskPage(List.of(), cursor);
        }
        long last = limit == Integer.MAX_VALUE ? -1 : cursor + limit - 1;
        List<String> packed = redis.retrying(c -> c.lrange(prefix + "done", cursor, last));
        return new TaskPage(Codec.packedTasks(packed, 0, network.seed()), cursor + packed.size());
    }

    @Override
    public long awaitCompleted(long cursor, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long completed = redis.retrying(c -> c.llen(prefix + "done"));
            long remaining = deadline - System.nanoTime();
            if (completed > cursor || remaining <= 0) {
                return completed;
            }
            waitFor(doneWake, Math.min(remaining, 200_000_000L));
        }
    }

    @Override
    public TaskCounts counts() {
        List<String> v = redis.retrying(c -> c.hmget(prefix + "counts", "queued", "running", "finished", "failed",
                "cancelled"));
        return new TaskCounts(count(v.get(0)), count(v.get(1)), count(v.get(2)), count(v.get(3)), count(v.get(4)));
    }

    private static long count(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public String toString() {
        return "tasks of " + network;
    }

}
