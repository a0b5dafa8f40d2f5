package dev.starling.futures;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starling.Network;
import dev.starling.PayloadException;
import dev.starling.Route;
import dev.starling.Scheduler;
import dev.starling.StarlingException;
import dev.starling.StoreUnavailableException;
import dev.starling.Task;
import dev.starling.WorkerInfo;
import dev.starling.WorkerState;
import dev.starling.internal.Json;
import dev.starling.internal.Scatter;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.StoreBackend;
import dev.starling.spi.TaskStore;
import dev.starling.spi.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits named functions to the workers of a network and completes their {@link TaskFuture}s as results arrive, in
 * the manner of Dask's futures client. Get one from {@link dev.starling.Controller#futures()}. Each instance has its
 * own reply channel in the store: a worker that ends a task delivers it there, and one dispatcher thread waits on the
 * channel (an event-driven wait, not polling) and completes the futures. On the memory store there is no dispatcher:
 * the worker that ends a task completes its future. Results are held only by the futures
 * themselves: once a future is dropped, nothing here keeps its result.
 *
 * <p>If the submitter dies, its tasks still run to an end state; a new controller {@linkplain #attach attaches} to
 * them by id. Closing this instance stops the dispatcher and fails the futures still pending with a message that says
 * how to attach to them; the tasks themselves go on. Thread-safe.
 */
public final class Futures implements AutoCloseable {
    /** How many completions the dispatcher takes from the channel at a time. */
    private static final int BATCH = 4_096;
    private static final Duration WAIT = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(Futures.class);

    private final Network network;
    private final TaskStore tasks;
    private final WorkerRegistry registry;
    private final String channel;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    /** Held while pushing and registering, and while matching replies: a reply never beats its registration. */
    private final ReentrantLock registering = new ReentrantLock();
    private volatile Thread dispatcher;
    /** Whether the store hands replies to {@link #settle} itself, on the thread that ends each task. */
    private final boolean direct;
    private volatile Duration routeLimit = Duration.ZERO;
    private Scheduler.Cancellable routeChecks;
    /** Per route key: since when no RUNNING worker could take it, as the checks saw; used by the checks only. */
    private final Map<String, Instant> unservedSince = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A future waiting for its task, and how to read its output. */
    private record Pending(TaskFuture<?> future, Class<?> output, String route) {
    }

    /** The conditions {@link #await} waits for. */
    public enum Until {
        /** Until any future is done. */
        FIRST_COMPLETED,
        /** Until any future fails or all are done. */
        FIRST_EXCEPTION,
        /** Until all futures are done. */
        ALL_COMPLETED
    }

    /**
     * The outcome of {@link #await}: the futures that are done and those that are not, each in the order given.
     *
     * @param done    the futures done when the wait ended
     * @param notDone the others
     * @param <T>     the output type
     */
    public record Done<T>(List<TaskFuture<T>> done, List<TaskFuture<T>> notDone) {
    }

    /**
     * Futures on {@code network}, with a reply channel of their own; close them when done. A controller's
     * {@link dev.starling.Controller#futures()} are closed with it.
     */
    public static Futures on(Network network) {
        return new Futures(network);
    }

    private Futures(Network network) {
        this.network = Objects.requireNonNull(network, "network");
        NetworkStore state = StoreBackend.of(network.store()).network(network.name());
        this.tasks = state.tasks();
        this.registry = state.workers();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.channel = Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong());
        // In memory the worker that ends a task completes its future itself: no dispatcher to wake.
        this.direct = tasks.deliverReplies(channel, reply -> settle(List.of(reply)));
    }

    /** The network the tasks run in. */
    public Network network() {
        return network;
    }

    /**
     * Submits one call of {@code function} on {@code input}, to run on any worker.
     *
     * @throws dev.starling.BudgetExhaustedException when the network's budget cannot take the task
     * @throws PayloadException                       when {@code input} does not encode to JSON
     */
    public <I, O> TaskFuture<O> submit(TaskFunction<I, O> function, I input) {
        return submit(function, input, Route.any());
    }

    /**
     * Submits one call of {@code function} on {@code input}, to run where {@code route} says: on a named worker, or
     * on a worker carrying a tag (where the data it needs lives).
     *
     * @throws dev.starling.BudgetExhaustedException when the network's budget cannot take the task
     * @throws PayloadException                       when {@code input} does not encode to JSON
     */
    public <I, O> TaskFuture<O> submit(TaskFunction<I, O> function, I input, Route route) {
        Objects.requireNonNull(route, "route");
        return push(function, List.of(input), route.kind() == Route.Kind.ANY ? null : List.of(route.key()))
                .getFirst();
    }

    /**
     * Submits one call of {@code function} per element of {@code inputs}, pushed as one batch, to run on any worker.
     *
     * @return the futures, in the order of {@code inputs}
     * @throws dev.starling.BudgetExhaustedException when the batch would exceed the network's budget (nothing is
     *                                                submitted)
     * @throws PayloadException                       when an input does not encode to JSON (nothing is submitted)
     */
    public <I, O> List<TaskFuture<O>> map(TaskFunction<I, O> function, Collection<? extends I> inputs) {
        return push(function, inputs, null);
    }

    /**
     * Submits one call of {@code function} per element of {@code inputs}, pushed as one batch, each routed as
     * {@code routeOf} says for its input.
     *
     * @return the futures, in the order of {@code inputs}
     * @see #map(TaskFunction, Collection)
     */
    public <I, O> List<TaskFuture<O>> map(TaskFunction<I, O> function, Collection<? extends I> inputs,
                                          Function<? super I, Route> routeOf) {
        List<String> routes = new ArrayList<>(inputs.size());
        for (I input : inputs) {
            routes.add(Objects.requireNonNull(routeOf.apply(input), "route of an input").key());
        }
        return push(function, inputs, routes);
    }

    private <I, O> List<TaskFuture<O>> push(TaskFunction<I, O> function, Collection<? extends I> inputs,
                                            List<String> routes) {
        Objects.requireNonNull(function, "function");
        checkOpen();
        List<String> payloads = new ArrayList<>(inputs.size());
        int i = 0;
        for (I input : inputs) {
            payloads.add(Calls.call(function.name(), input, "input #" + i++ + " of function '" + function.name()
                    + "'"));
        }
        startDispatcher();
        registering.lock();
        try {
            List<Long> ids = tasks.push(payloads, routes, channel);
            return register(ids, function.output(), routes);
        } finally {
            registering.unlock();
        }
    }

    /**
     * Stores {@code value} once in the network under {@code name}, for functions to read with
     * {@link dev.starling.WorkerContext#scattered}: each worker reads it from the store the first time one of its
     * tasks needs it and keeps it. Numeric arrays go in their binary form. The value is removed with the network;
     * scattering again under the same name replaces it for workers that have not read it yet.
     *
     * @return {@code name}, for tasks to refer to
     */
    public String scatter(String name, Object value) {
        Route.checkName(name, "scattered value's name");
        network.setAttribute(Scatter.attribute(name), Json.value(value, "scattered value '" + name + "'"));
        return name;
    }

    /**
     * Futures for tasks that were submitted earlier, by this or another submitter (one that died, say), whose
     * outputs are of {@code function}'s type. Their completions are redirected to this instance; those already ended
     * complete at once. Unknown ids are left out.
     */
    public <O> List<TaskFuture<O>> attach(TaskFunction<?, O> function, Collection<Long> ids) {
        checkOpen();
        startDispatcher();
        List<TaskFuture<O>> futures;
        List<Task> snapshots;
        registering.lock();
        try {
            snapshots = tasks.subscribe(channel, List.copyOf(ids));
            futures = register(snapshots.stream().map(Task::id).toList(), function.output(), null);
        } finally {
            registering.unlock();
        }
        settle(snapshots.stream().filter(t -> t.state().isTerminal()).toList());
        return futures;
    }

    private <O> List<TaskFuture<O>> register(List<Long> ids, Class<O> output, List<String> routes) {
        List<TaskFuture<O>> futures = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            TaskFuture<O> future = new TaskFuture<>(id, this);
            String route = routes == null || routes.get(i).isEmpty() ? null : routes.get(i);
            pending.put(id, new Pending(future, output, route));
            futures.add(future);
        }
        return futures;
    }

    /**
     * Makes routed futures fail, instead of waiting on, when no RUNNING worker can take their route (the worker they
     * name, or any worker carrying their tag) for {@code limit}: their tasks are cancelled in the store, so they never
     * run later, and the futures fail with a {@link RouteUnservedException} naming the route and the wait. By default
     * a routed task waits as long as it takes for a worker with its tag (a replacement of a lost one). Checked on the
     * store's scheduler every {@code limit / 2} (at most every second); {@link Duration#ZERO} waits forever again.
     *
     * @return this
     */
    public synchronized Futures failUnservedRoutesAfter(Duration limit) {
        if (limit.isNegative()) {
            throw new IllegalArgumentException("the wait for a route must not be negative, was " + limit);
        }
        if (routeChecks != null) {
            routeChecks.cancel();
            routeChecks = null;
        }
        routeLimit = limit;
        unservedSince.clear();
        if (!limit.isZero()) {
            Duration half = limit.dividedBy(2);
            Duration period = half.isZero() ? limit : half.compareTo(Duration.ofSeconds(1)) > 0
                    ? Duration.ofSeconds(1) : half;
            routeChecks = network.store().scheduler().repeat(period, this::checkRoutes);
        }
        return this;
    }

    /** Fails the routed futures whose route no RUNNING worker has served for the limit. */
    private void checkRoutes() {
        if (closed || routeLimit.isZero()) {
            return;
        }
        try {
            Map<String, List<Pending>> byRoute = new HashMap<>();
            for (Pending p : pending.values()) {
                if (p.route() != null) {
                    byRoute.computeIfAbsent(p.route(), r -> new ArrayList<>()).add(p);
                }
            }
            unservedSince.keySet().retainAll(byRoute.keySet());
            if (byRoute.isEmpty()) {
                return;
            }
            Set<String> served = new HashSet<>();
            for (WorkerInfo w : registry.list()) {
                if (w.state() == WorkerState.RUNNING) {
                    served.add(Route.worker(w.id()).key());
                    w.tags().forEach(t -> served.add(Route.tag(t).key()));
                }
            }
            Instant now = network.store().scheduler().clock().instant();
            for (Map.Entry<String, List<Pending>> e : byRoute.entrySet()) {
                if (served.contains(e.getKey())) {
                    unservedSince.remove(e.getKey());
                    continue;
                }
                Instant since = unservedSince.computeIfAbsent(e.getKey(), k -> now);
                if (Duration.between(since, now).compareTo(routeLimit) >= 0) {
                    failUnserved(e.getKey(), e.getValue());
                    unservedSince.remove(e.getKey());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("futures of network '{}': checking routes failed: {}", network.name(), e.toString());
        }
    }

    private void failUnserved(String routeKey, List<Pending> waiting) {
        // Taken out of the pending map first, so that the CANCELLED reply the cancel sends cannot settle them first.
        List<Pending> taken = waiting.stream().filter(p -> pending.remove(p.future().taskId(), p)).toList();
        Set<Long> cancelled = new HashSet<>(tasks.cancel(taken.stream().map(p -> p.future().taskId()).toList()));
        Route route = Route.ofKey(routeKey);
        for (Pending p : taken) {
            long id = p.future().taskId();
            if (cancelled.contains(id)) {
                p.future().completeExceptionally(new RouteUnservedException(id, route, routeLimit));
            } else {
                // It ended just before the cancel: its reply may be gone already, so settle it from the store.
                tasks.get(id).filter(t -> t.state().isTerminal()).ifPresent(t -> settle(t, p));
            }
        }
        LOG.warn("futures of network '{}': no running worker served {} for {}; cancelled {} task(s) routed there",
                network.name(), route, routeLimit, cancelled.size());
    }

    /**
     * Cancels the tasks of {@code futures} that have not ended, in one round trip; see {@link TaskFuture#cancel}.
     *
     * @return how many were cancelled
     */
    public int cancel(Collection<? extends TaskFuture<?>> futures) {
        List<Long> ids = futures.stream().filter(f -> !f.isDone()).map(TaskFuture::taskId).toList();
        if (ids.isEmpty()) {
            return 0;
        }
        Map<Long, TaskFuture<?>> byId = new HashMap<>();
        futures.forEach(f -> byId.put(f.taskId(), f));
        List<Long> cancelled = tasks.cancel(ids);
        for (long id : cancelled) {
            pending.remove(id);
            // Settled here even when the dispatcher took the CANCELLED reply first, so that the caller sees the
            // future cancelled when this returns; a second settle is a no-op.
            byId.get(id).settleCancelled(null);
        }
        return cancelled.size();
    }

    /** How many futures of this instance are waiting for their tasks. */
    public int pending() {
        return pending.size();
    }

    /** Yields {@code futures} as they complete; see {@link AsCompleted}. */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends TaskFuture<T>> futures) {
        AsCompleted<T> completed = new AsCompleted<>();
        completed.addAll(futures);
        return completed;
    }

    /**
     * Waits until {@code until} holds for {@code futures} or {@code timeout} passes, and says which are done. A
     * cancelled future counts as done (and, for FIRST_EXCEPTION, as an exception).
     */
    public static <T> Done<T> await(Collection<? extends TaskFuture<T>> futures, Until until, Duration timeout)
            throws InterruptedException {
        AsCompleted<T> completed = asCompleted(futures);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completed.hasNext()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TaskFuture<T> next = completed.next(Duration.ofNanos(left)).orElse(null);
            if (next == null) {
                break;
            }
            if (until == Until.FIRST_COMPLETED || (until == Until.FIRST_EXCEPTION
                    && next.isCompletedExceptionally())) {
                break;
            }
        }
        List<TaskFuture<T>> done = new ArrayList<>();
        List<TaskFuture<T>> notDone = new ArrayList<>();
        for (TaskFuture<T> f : futures) {
            (f.isDone() ? done : notDone).add(f);
        }
        return new Done<>(done, notDone);
    }

    /**
     * Waits for every future and returns their outputs in the order given; fails as soon as one fails.
     *
     * @throws TaskFailedException   the first failure to arrive
     * @throws CancellationException when a future was cancelled
     * @throws FuturesTimeoutException when they are not all done within {@code timeout}
     */
    public static <T> List<T> gather(Collection<? extends TaskFuture<T>> futures, Duration timeout)
            throws InterruptedException {
        AsCompleted<T> completed = asCompleted(futures);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completed.hasNext()) {
            long left = deadline - System.nanoTime();
            TaskFuture<T> next = left <= 0 ? null : completed.next(Duration.ofNanos(left)).orElse(null);
            if (next == null) {
                throw new FuturesTimeoutException("gather: " + completed.remaining() + " of " + futures.size()
                        + " futures were not done within " + timeout);
            }
            if (next.isCancelled()) {
                throw new CancellationException("gather: task " + next.taskId() + " was cancelled");
            }
            if (next.isCompletedExceptionally() && next.exceptionNow() instanceof RuntimeException failure) {
                throw failure;
            }
        }
        List<T> outputs = new ArrayList<>(futures.size());
        for (TaskFuture<T> f : futures) {
            outputs.add(f.resultNow());
        }
        return outputs;
    }

    // ---- dispatch

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("these futures of network '" + network.name() + "' are closed");
        }
    }

    private synchronized void startDispatcher() {
        if (dispatcher == null && !direct) {
            // A platform thread: waking one is cheaper than waking a virtual thread, and it is one per submitter.
            dispatcher = Thread.ofPlatform().daemon().name("starling-futures-" + network.name()).start(this::dispatch);
        }
    }

    private void dispatch() {
        long backoff = 50;
        while (!closed) {
            try {
                List<Task> replies = tasks.awaitReplies(channel, BATCH, WAIT);
                backoff = 50;
                if (replies.isEmpty()) {
                    continue;
                }
                settle(replies);
            } catch (InterruptedException e) {
                // close() interrupts; the loop condition decides
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (e instanceof StoreUnavailableException) {
                    LOG.warn("futures of network '{}': {}; retrying in {} ms", network.name(), e.getMessage(),
                            backoff);
                    backoff = pause(backoff);
                    continue;
                }
                LOG.warn("futures of network '{}': reading completions failed: {}; retrying in {} ms",
                        network.name(), e.toString(), backoff);
                backoff = pause(backoff);
            }
        }
    }

    private long pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // closing
        }
        return Math.min(5_000, millis * 2);
    }

    /** Completes the futures of tasks that ended, those this instance still waits for. */
    private void settle(List<Task> ended) {
        Pending[] found = new Pending[ended.size()];
        registering.lock();
        try {
            for (int i = 0; i < found.length; i++) {
                found[i] = pending.remove(ended.get(i).id());
            }
        } finally {
            registering.unlock();
        }
        for (int i = 0; i < found.length; i++) {
            if (found[i] != null) {
                settle(ended.get(i), found[i]);
            }
        }
    }

    private static void settle(Task ended, Pending p) {
        TaskFuture<?> future = p.future();
        switch (ended.state()) {
            case FINISHED -> {
                try {
                    String what = "the output of task " + ended.id();
                    future.settle(ended, Json.bindValue(Calls.outputOf(ended.ysJson(), what), p.output(), what), null);
                } catch (PayloadException e) {
                    future.settle(ended, null, e);
                }
            }
            case FAILED -> future.settle(ended, null, new TaskFailedException(ended.id(), ended.worker(),
                    ended.error()));
            case CANCELLED -> future.settleCancelled(ended);
            case QUEUED, RUNNING -> throw new IllegalStateException("task " + ended.id() + " delivered while "
                    + ended.state());
        }
    }

    /**
     * Stops the dispatcher and closes the reply channel. Futures still pending complete exceptionally with a
     * {@link StarlingException} that names their tasks; the tasks go on, and another controller can attach to them.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            if (routeChecks != null) {
                routeChecks.cancel();
            }
        }
        // Not joined: a blocking read from Redis cannot be interrupted; the dispatcher ends when it returns.
        Thread t = dispatcher;
        if (t != null) {
            t.interrupt();
        }
        Set<Long> left = new HashSet<>(pending.keySet());
        for (long id : left) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.future().completeExceptionally(new StarlingException("the futures of network '" + network.name()
                        + "' were closed before task " + id + " ended; the task goes on: attach to it by id from"
                        + " another controller"));
            }
        }
        try {
            tasks.closeChannel(channel);
        } catch (RuntimeException e) {
            LOG.warn("could not delete the reply channel of network '{}': {}", network.name(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "futures of network '" + network.name() + "' (" + pending.size() + " pending)";
    }
}
