package dev.starling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starling.futures.Futures;
import dev.starling.internal.Csv;
import dev.starling.internal.Json;
import dev.starling.internal.ProcessLauncher;
import dev.starling.internal.Sweeper;
import dev.starling.internal.WorkerMain;
import dev.starling.spi.NetworkStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional controller of a network: starts workers, pushes tasks, waits for them, fetches results and logs,
 * stops workers. While open it also sweeps for lost workers every second (or every heartbeat period of the workers it
 * starts, when that is shorter), on the store's scheduler, as every worker
 * does with its heartbeat. Closing it terminates the workers it started (killing those still running after
 * {@link #CLOSE_GRACE}). Thread-safe.
 */
public final class Controller implements AutoCloseable {
    /** How long {@link #close()} lets workers finish their current task before killing them. */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
    private static final Duration SWEEP_PERIOD = Duration.ofSeconds(1);
    /** A worker process that ran this long before it died is restarted after the shortest backoff again. */
    private static final Duration STABLE = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    private final Network network;
    private final NetworkStore state;
    private final Archive archive;
    private final List<Worker> started = new CopyOnWriteArrayList<>();
    private final List<WorkerProcess> processes = new CopyOnWriteArrayList<>();
    private volatile Futures futures;
    private volatile Sweeper sweeper;
    private volatile Scheduler.Cancellable sweeps;
    private volatile boolean closed;
    private volatile boolean stopRequested;
    private volatile int maxRestarts;
    private volatile List<String> acceptedInProcesses = List.of();
    private int pendingRestarts;
    private int handledExits;
    private long lastExistenceCheck = System.nanoTime();

    Controller(Network network) {
        this.network = network;
        this.state = network.state();
        this.archive = network.archive();
        sweepEvery(SWEEP_PERIOD);
    }

    /**
     * Sweeps every {@code period} from now on. A sweeper judges the store's reachability at its own period, so it
     * must sweep at least as often as the workers heartbeat: a gap in contact shorter than two of its periods but
     * longer than their expiry would otherwise make them lost.
     */
    private synchronized void sweepEvery(Duration period) {
        if (sweeper != null && period.compareTo(sweeper.period()) >= 0) {
            return;
        }
        if (sweeps != null) {
            sweeps.cancel();
        }
        Scheduler scheduler = network.store().scheduler();
        sweeper = new Sweeper(state, scheduler.clock(), period, scheduler.clock().instant(), r ->
                LOG.warn("worker {} of network '{}' was lost; recovered {} task(s): {} requeued, {} failed",
                        r.worker(), network.name(), r.recovered(), r.requeued(), r.failed()));
        sweeps = scheduler.repeat(period, this::sweep);
    }

    /** The network this controller manages. */
    public Network network() {
        return network;
    }

    /** Starts {@code n} workers running {@code loop} on virtual threads, with default options. */
    public List<Worker> startWorkers(int n, WorkerLoop loop) {
        return startWorkers(n, loop, WorkerOptions.defaults());
    }

    /** Starts {@code n} queue workers handling tasks with {@code handler}, with default options. */
    public List<Worker> startWorkers(int n, QueueLoop handler) {
        return startWorkers(n, (WorkerLoop) handler);
    }

    /** Starts {@code n} queue workers handling tasks with {@code handler}. */
    public List<Worker> startWorkers(int n, QueueLoop handler, WorkerOptions options) {
        return startWorkers(n, (WorkerLoop) handler, options);
    }

    /** Starts {@code n} workers running {@code loop} on virtual threads. */
    public List<Worker> startWorkers(int n, WorkerLoop loop, WorkerOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("number of workers must be at least 1, was " + n);
        }
        sweepEvery(options.heartbeatPeriod());
        List<Worker> workers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            workers.add(network.startWorker(loop, options));
        }
        started.addAll(workers);
        return workers;
    }

    /**
     * Starts {@code n} worker processes on this machine, each a JVM with this one's class path running one worker of
     * {@code loop} (a public class with a public no-arg constructor). Each process writes its output to its own log
     * file under {@code <tmpdir>/starling/<network>/}. Needs a store that processes share (Redis): the memory store
     * lives in this JVM only.
     */
    public List<WorkerProcess> startProcesses(int n, Class<? extends WorkerLoop> loop, WorkerOptions options) {
        return startProcesses(n, 1, loop, options);
    }

    /**
     * Starts {@code n} worker processes on this machine, each running {@code workersEach} workers of {@code loop}
     * (on platform threads sharing one loop instance, as threads of this JVM do). Many workers in few processes share
     * the start-up cost of a JVM, which on a small machine takes seconds while other JVMs start too.
     *
     * @throws IllegalArgumentException when {@code n} or {@code workersEach} is less than 1
     * @see #startProcesses(int, Class, WorkerOptions)
     */
    public List<WorkerProcess> startProcesses(int n, int workersEach, Class<? extends WorkerLoop> loop,
                                              WorkerOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("number of worker processes must be at least 1, was " + n);
        }
        if (workersEach < 1) {
            throw new IllegalArgumentException("workers per process must be at least 1, was " + workersEach);
        }
        ProcessLauncher.requireShared(network.store(), "worker processes");
        sweepEvery(options.heartbeatPeriod());
        List<WorkerProcess> processes = new ArrayList<>(n);
        for (ProcessLauncher.Started p : ProcessLauncher.start(n, workersEach, network.store().url(),
                network.name(), loop.getName(), options, acceptedInProcesses)) {
            processes.add(new WorkerProcess(p.process(), workersEach, p.log()));
        }
        this.processes.addAll(processes);
        for (WorkerProcess p : processes) {
            watch(p, new Slot(workersEach, loop.getName(), options));
        }
        return processes;
    }

    /**
     * Replaces worker processes that die, as Dask's nanny does: from now on, a process this controller started (or
     * started to replace another) that ends by a signal, an error or an outage is started again, after a backoff of 1
     * s that doubles up to 30 s while it keeps dying within a minute of its start, at most {@code maxRestarts} times
     * for each process it started; a process that
     * completes (its workers ran out of work or budget) or was asked to stop is not. The log says what died and what
     * replaced it. 0, the default, replaces none. Applies to processes already started too.
     *
     * @throws IllegalArgumentException when {@code maxRestarts} is negative
     */
    public void restartProcesses(int maxRestarts) {
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("max restarts must be zero or more, was " + maxRestarts);
        }
        this.maxRestarts = maxRestarts;
    }

    /**
     * Lets the worker processes this controller starts from now on run, of what the network's definition in the
     * store names, {@code entries} besides Starling's own classes: class-name prefixes (an objective or algorithm
     * class of yours, or its package), and {@code "commands"} for command objectives. Worker processes accept
     * nothing else, so a hostile definition written into the store cannot make them load an arbitrary class or run
     * a command. Optimizations call this for their own objective.
     */
    public void acceptInProcesses(Collection<String> entries) {
        acceptedInProcesses = List.copyOf(entries);
    }

    /** Every worker process this controller started, replacements included, in the order started. */
    public List<WorkerProcess> processes() {
        return List.copyOf(processes);
    }

    /**
     * What a dead process of a slot is replaced with, how often that slot was restarted, and how many times in a row
     * its process died young (which sets the backoff; a process that ran a minute starts the count afresh).
     */
    private static final class Slot {
        final int workers;
        final String loop;
        final WorkerOptions options;
        int restarts;
        int youngDeaths;
        long startedNanos = System.nanoTime();

        Slot(int workers, String loop, WorkerOptions options) {
            this.workers = workers;
            this.loop = loop;
            this.options = options;
        }
    }

    private void watch(WorkerProcess process, Slot slot) {
        process.onExit(() -> exited(process, slot));
    }

    private synchronized void exited(WorkerProcess process, Slot slot) {
        handledExits++;
        notifyAll();
        WorkerExit exit = process.exit().orElse(new WorkerExit(WorkerExit.Cause.FAILED, "worker process "
                + process.pid() + " ended"));
        boolean died = exit.cause() == WorkerExit.Cause.KILLED || exit.cause() == WorkerExit.Cause.FAILED
                || exit.cause() == WorkerExit.Cause.OUTAGE;
        if (closed || stopRequested || !died || maxRestarts == 0) {
            return;
        }
        if (slot.restarts >= maxRestarts) {
            LOG.warn("{} of network '{}' ({}); not replaced: it was restarted {} times, the limit", exit.message(),
                    network.name(), exit.cause(), slot.restarts);
            return;
        }
        slot.restarts++;
        boolean young = System.nanoTime() - slot.startedNanos < STABLE.toNanos();
        slot.youngDeaths = young ? slot.youngDeaths + 1 : 1;
        Duration backoff = Duration.ofSeconds(Math.min(30, 1L << Math.min(5, slot.youngDeaths - 1)));
        LOG.warn("{} of network '{}' ({}); replacing it in {} s (restart {} of {})", exit.message(), network.name(),
                exit.cause(), backoff.toSeconds(), slot.restarts, maxRestarts);
        pendingRestarts++;
        network.store().scheduler().schedule(backoff, () -> restart(process, slot));
    }

    private void restart(WorkerProcess dead, Slot slot) {
        WorkerProcess replacement = null;
        synchronized (this) {
            pendingRestarts--;
            if (closed || stopRequested) {
                notifyAll();
                return;
            }
            try {
                ProcessLauncher.Started p = ProcessLauncher.start(1, slot.workers, network.store().url(),
                        network.name(), slot.loop, slot.options, acceptedInProcesses).getFirst();
                replacement = new WorkerProcess(p.process(), slot.workers, p.log());
                slot.startedNanos = System.nanoTime();
                processes.add(replacement);
                LOG.info("worker process {} of network '{}' replaces worker process {} (log: {})",
                        replacement.pid(), network.name(), dead.pid(), replacement.log());
            } catch (RuntimeException e) {
                LOG.warn("could not replace worker process {} of network '{}': {}", dead.pid(), network.name(),
                        e.toString());
            }
            notifyAll();
        }
        if (replacement != null) {
            watch(replacement, slot);
        }
    }

    /**
     * Starts {@code workers} workers of {@code loop} spread evenly over {@code processes} worker processes on this
     * machine (the first processes take one more when they do not divide), as {@link #startProcesses(int, int,
     * Class, WorkerOptions)} does for an equal number each.
     *
     * @throws IllegalArgumentException when {@code processes} is less than 1 or greater than {@code workers}
     */
    public List<WorkerProcess> spreadProcesses(int processes, int workers, Class<? extends WorkerLoop> loop,
                                               WorkerOptions options) {
        return spreadProcesses(processes, workers, loop, p -> options);
    }

    /**
     * Starts {@code workers} workers of {@code loop} spread evenly over {@code processes} worker processes, as
     * {@link #spreadProcesses(int, int, Class, WorkerOptions)} does, process {@code p} (from 0) with the options
     * {@code optionsOf.apply(p)} — for example tags that say which share of the data its workers keep.
     *
     * @throws IllegalArgumentException when {@code processes} is less than 1 or greater than {@code workers}
     */
    public List<WorkerProcess> spreadProcesses(int processes, int workers, Class<? extends WorkerLoop> loop,
                                               IntFunction<WorkerOptions> optionsOf) {
        if (processes < 1 || workers < processes) {
            throw new IllegalArgumentException("need at least 1 process and at least one worker per process, were "
                    + processes + " processes and " + workers + " workers");
        }
        List<WorkerProcess> all = new ArrayList<>(processes);
        for (int p = 0; p < processes; p++) {
            int each = workers / processes + (p < workers % processes ? 1 : 0);
            all.addAll(startProcesses(1, each, loop, optionsOf.apply(p)));
        }
        return all;
    }

    /**
     * The command that starts a worker of this network on any machine that has Starling and {@code loop} on its
     * class path: {@code starling worker --store … --network … --loop … --heartbeat …}. A password in the store URL
     * is shown as {@code ***}.
     */
    public String workerCommand(Class<? extends WorkerLoop> loop, WorkerOptions options) {
        ProcessLauncher.requireShared(network.store(), "workers on other machines");
        return "starling worker " + String.join(" ", WorkerMain.arguments(network.store().location(),
                network.name(), loop.getName(), 1, options));
    }

    /**
     * The futures of this controller: submit named functions to the network's workers and act on their results as
     * they arrive. The same instance on every call; closed with this controller.
     */
    public synchronized Futures futures() {
        if (closed) {
            throw new IllegalStateException("the controller of network '" + network.name() + "' is closed");
        }
        if (futures == null) {
            futures = Futures.on(network);
        }
        return futures;
    }

    /** Pushes one task with inputs {@code xs} (a map or a record); returns its id. */
    public long push(Object xs) {
        return push(List.of(xs)).getFirst();
    }

    /**
     * Pushes tasks, one per element of {@code xs} (maps or records), in one batch.
     *
     * @return their ids, in order
     * @throws BudgetExhaustedException when the batch would exceed the network's budget (nothing is pushed)
     * @throws PayloadException         when an element does not encode to a JSON object (nothing is pushed)
     */
    public List<Long> push(Collection<?> xs) {
        List<String> payloads = new ArrayList<>(xs.size());
        int i = 0;
        for (Object x : xs) {
            payloads.add(Json.object(x, "inputs of task #" + i++ + " of the batch"));
        }
        return state.tasks().push(payloads);
    }

    /** Waits until every task in {@code ids} is FINISHED or FAILED; false on timeout. */
    public boolean await(Collection<Long> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Long> waiting = new HashSet<>(ids);
        for (Task task : completed()) {
            waiting.remove(task.id());
        }
        while (!waiting.isEmpty()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            state.tasks().awaitCompleted(archiveCursorHint(), Duration.ofNanos(Math.min(remaining,
                    TimeUnit.MILLISECONDS.toNanos(200))));
            List<Task> fresh = archive.update();
            for (Task task : fresh) {
                waiting.remove(task.id());
            }
            if (fresh.isEmpty()) {
                requireExists();
            }
        }
        return true;
    }

    /**
     * Fails when the network is gone from its store, checked at most once a second while waiting brings nothing:
     * a store restarted without persistence has lost it, and waiting on would wait for ever.
     */
    private void requireExists() {
        long now = System.nanoTime();
        if (now - lastExistenceCheck < TimeUnit.SECONDS.toNanos(1)) {
            return;
        }
        lastExistenceCheck = now;
        if (state.settings().isEmpty()) {
            throw new StarlingException("network '" + network.name() + "' does not exist in "
                    + network.store().location() + " any more: it was deleted, or the store restarted without"
                    + " persistence and lost it; its tasks are gone. Run it again, and keep the store's data (for"
                    + " Redis, appendonly yes) to survive restarts");
        }
    }

    private long archiveCursorHint() {
        return archive.size();
    }

    /** Waits until no task is QUEUED or RUNNING; false on timeout. */
    public boolean awaitAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long cursor = 0;
        while (state.tasks().counts().pending() > 0) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            long before = cursor;
            cursor = state.tasks().awaitCompleted(cursor, Duration.ofNanos(Math.min(remaining,
                    TimeUnit.MILLISECONDS.toNanos(200))));
            if (cursor == before) {
                requireExists();
            }
        }
        return true;
    }

    /**
     * Waits until every worker (thread or process) started by this controller has stopped, replacements of dead
     * processes included ({@link #restartProcesses}); false on timeout.
     */
    public boolean awaitWorkers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Worker worker : started) {
            if (!worker.join(until(deadline))) {
                return false;
            }
        }
        while (true) {
            for (WorkerProcess process : processes) {
                if (process.waitFor(until(deadline)) < 0) {
                    return false;
                }
            }
            synchronized (this) {
                // A process that just died may not have been seen to exit yet, or may wait for its replacement.
                while ((pendingRestarts > 0 || handledExits < processes.size()) && System.nanoTime() < deadline) {
                    wait(Math.max(1, until(deadline).toMillis()));
                }
                if (pendingRestarts > 0 || handledExits < processes.size()) {
                    return false;
                }
                if (processes.stream().noneMatch(WorkerProcess::isAlive)) {
                    return true;
                }
            }
        }
    }

    /** The time left until a {@link System#nanoTime()} deadline, never negative. */
    private static Duration until(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** How each worker and worker process this controller started ended, for those that have stopped. */
    public List<WorkerExit> exits() {
        List<WorkerExit> exits = new ArrayList<>();
        started.forEach(w -> w.exit().ifPresent(exits::add));
        processes.forEach(p -> p.exit().ifPresent(exits::add));
        return exits;
    }

    /** How many tasks are in each state. */
    public TaskCounts counts() {
        return state.tasks().counts();
    }

    /** One task. */
    public Optional<Task> task(long id) {
        return state.tasks().get(id);
    }

    /** The tasks in {@code state}. */
    public List<Task> tasks(TaskState taskState) {
        return network.tasks(taskState);
    }

    /**
     * Every completed (FINISHED or FAILED) task, in completion order; reads only what is new since the last call. On a
     * memory store with {@link Retention#DROP_READ} the tasks come {@linkplain Task#withoutPayloads() without their
     * payloads}: read results as they arrive, from an {@link Network#archive() archive}'s updates.
     */
    public List<Task> completed() {
        archive.update();
        return archive.tasks();
    }

    /** The FINISHED tasks, in completion order. */
    public List<Task> finished() {
        return completed().stream().filter(t -> t.state() == TaskState.FINISHED).toList();
    }

    /**
     * The FINISHED tasks as records: each task's inputs and outputs, merged into one JSON object (outputs win on a
     * name clash), bound to {@code type}, e.g. {@code record Eval(double x1, double x2, double y)}.
     */
    public <T> List<T> results(Class<T> type) {
        List<T> results = new ArrayList<>();
        for (Task task : finished()) {
            ObjectNode merged = (ObjectNode) Json.tree(task.xsJson(), "inputs of task " + task.id());
            merged.setAll((ObjectNode) Json.tree(task.ysJson(), "outputs of task " + task.id()));
            results.add(Json.bind(merged.toString(), type, "task " + task.id()));
        }
        return results;
    }

    /**
     * Writes tasks as CSV: a header, then one row per task with its id, state, worker, attempts, seed, timestamps,
     * one column per input and output name, and the error.
     */
    public void writeCsv(Collection<Task> tasks, Appendable out) {
        try {
            Csv.write(tasks, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every registered worker of the network, by order of registration. */
    public List<WorkerInfo> workers() {
        return network.workers();
    }

    /** The log events of one worker, oldest first. */
    public List<LogEvent> log(String workerId) {
        return network.log(workerId);
    }

    /** Asks every running worker of the network to finish its current task and stop; returns at once. */
    public void terminateWorkers() {
        stopRequested = true;
        started.forEach(Worker::terminate);
        network.requestStop(StopRequest.TERMINATE);
    }

    /** Stops every running worker of the network now; their running tasks are recovered. */
    public void killWorkers() {
        stopRequested = true;
        started.forEach(Worker::kill);
        network.requestStop(StopRequest.KILL);
    }

    /** Checks now for lost workers and recovers their tasks; the controller also does this every second by itself. */
    public List<Recovery> recoverLostWorkers() {
        return sweeper.sweepNow();
    }

    private void sweep() {
        if (closed) {
            return;
        }
        try {
            sweeper.sweep();
        } catch (RuntimeException e) {
            LOG.warn("sweep for lost workers of network '{}' failed: {}", network.name(), e.toString());
        }
    }

    /**
     * Terminates the workers this controller started and waits for them; kills those still running after
     * {@link #CLOSE_GRACE}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            sweeps.cancel();
            if (futures != null) {
                futures.close();
            }
        }
        started.forEach(Worker::terminate);
        processes.forEach(WorkerProcess::terminate);
        try {
            long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
            for (Worker worker : started) {
                if (!worker.join(until(deadline))) {
                    LOG.warn("worker {} did not stop within {}; killing it", worker.id(), CLOSE_GRACE);
                    worker.kill();
                }
            }
            for (WorkerProcess process : processes) {
                if (process.waitFor(until(deadline)) < 0) {
                    LOG.warn("{} did not exit within {}; killing it", process, CLOSE_GRACE);
                    process.kill();
                }
            }
        } catch (InterruptedException e) {
            started.forEach(Worker::kill);
            processes.forEach(WorkerProcess::kill);
            Thread.currentThread().interrupt();
        } finally {
            archive.close();
        }
    }
}
