package dev.starling.internal;

import dev.starling.FreeLoop;
import dev.starling.Lease;
import dev.starling.Network;
import dev.starling.NetworkSettings;
import dev.starling.PayloadException;
import dev.starling.QueueLoop;
import dev.starling.StarlingException;
import dev.starling.Task;
import dev.starling.TaskContext;
import dev.starling.TaskError;
import dev.starling.Worker;
import dev.starling.WorkerInfo;
import dev.starling.WorkerLoop;
import dev.starling.WorkerOptions;
import dev.starling.WorkerState;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.Recovery;
import dev.starling.spi.Seeds;
import dev.starling.spi.TaskStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one worker: registers it, heartbeats (and sweeps for lost workers) on a shared platform thread, and runs its
 * loop until the budget is used up, it is terminated or killed, or the network declares it lost. Every exception from
 * user code becomes a FAILED task; a failing store is retried with backoff. Thread-safe.
 */
public final class WorkerRuntime implements Worker {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);
    private static final ScheduledExecutorService TIMERS = timers();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final NetworkStore network;
    private final NetworkSettings settings;
    private final InstantSource clock;
    private final WorkerLoop loop;
    private final WorkerOptions options;
    private final Network handle;
    private final String id;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile Thread thread;
    private volatile boolean terminating;
    private volatile boolean killed;
    private volatile boolean lost;
    private volatile boolean finishing;
    private volatile Lease current;
    private volatile ScheduledFuture<?> heartbeat;
    private StoreWorkerLog log;
    private Contexts.Worker context;

    public WorkerRuntime(NetworkStore network, NetworkSettings settings, InstantSource clock, WorkerLoop loop,
                         WorkerOptions options, Network handle) {
        this.network = network;
        this.settings = settings;
        this.clock = clock;
        this.loop = loop;
        this.options = options;
        this.handle = handle;
        this.id = "w-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /**
     * Registers the worker (a failure is thrown here), then runs it on a new virtual or platform thread, as its
     * options say, and returns at once.
     */
    public Worker start() {
        register();
        (options.virtualThread() ? Thread.ofVirtual() : Thread.ofPlatform().daemon())
                .name("starling-worker-" + id).start(this::loop);
        return this;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    @Override
    public void terminate() {
        terminating = true;
    }

    @Override
    public synchronized void kill() {
        if (killed || lost || isStopped()) {
            return;
        }
        killed = true;
        try {
            Recovery recovery = network.retire(id, WorkerState.KILLED);
            if (log != null) {
                log.warn("killed; {} running task(s) recovered", recovery.recovered());
            }
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not record the kill in the store: {}", id, e.toString());
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Registers the worker and runs it in the calling thread until it stops. */
    public void run() {
        register();
        loop();
    }

    /**
     * Prepares the loop, then registers the worker; a failure (the loop cannot prepare, no such network, store
     * unreachable) is thrown to the caller.
     */
    private void register() {
        WorkerInfo me;
        try {
            try {
                loop.prepare(handle);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new StarlingException("the worker loop could not prepare: " + e, e);
            }
            me = network.workers().register(id, Hosts.host(), Hosts.pid(), options.heartbeatExpiry());
        } catch (RuntimeException e) {
            stopped.countDown();
            throw e;
        }
        log = new StoreWorkerLog(id, network.events(), clock);
        context = new Contexts.Worker(id, me.ordinal(), settings, Seeds.worker(settings.seed(), me.ordinal()), log,
                handle);
        // Heartbeats start with the registration, not with the loop: a virtual thread may wait for a carrier.
        heartbeat = Heartbeats.every(options.heartbeatPeriod(), this::heartbeat);
        log.info("started: {} loop, worker #{} on {} (pid {})", loop instanceof FreeLoop ? "free" : "queue",
                me.ordinal(), me.host(), me.pid());
    }

    private void loop() {
        thread = Thread.currentThread();
        String reason = "terminated";
        try {
            reason = switch (loop) {
                case QueueLoop queue -> runQueue(queue);
                case FreeLoop free -> runFree(free);
            };
        } finally {
            finishing = true;
            heartbeat.cancel(false);
            if (killed) {
                reason = "killed";
            } else if (lost) {
                reason = "declared lost by the network";
            } else {
                retire(reason);
            }
            log.info("stopped: {}", reason);
            stopped.countDown();
        }
    }

    private void retire(String reason) {
        try {
            Recovery recovery = network.retire(id, WorkerState.TERMINATED);
            if (recovery.recovered() > 0) {
                log.warn("{} task(s) still running at stop were recovered", recovery.recovered());
            }
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not record its stop ({}) in the store: {}", id, reason, e.toString());
        }
    }

    private boolean mustStop() {
        return terminating || killed || lost;
    }

    private boolean mustAbandon() {
        return killed || lost;
    }

    private String runQueue(QueueLoop queue) {
        TaskStore tasks = network.tasks();
        Task task = null;
        Backoff backoff = new Backoff();
        while (!mustAbandon()) {
            try {
                if (task == null) {
                    if (mustStop()) {
                        break;
                    }
                    task = tasks.claim(id, options.pollTimeout()).orElse(null);
                    backoff.reset();
                    continue;
                }
                Task running = task;
                task = null;
                String ys = execute(running, queue::handle);
                if (ys == null || mustAbandon()) {
                    continue;
                }
                task = finish(tasks, running, ys, options.pollTimeout());
                backoff.reset();
            } catch (InterruptedException e) {
                // A kill or a loss interrupts waits; a late timeout interrupt is spurious and ignored.
            } catch (RuntimeException e) {
                if (!storeTrouble(e, backoff)) {
                    return "stopped after a store error: " + e.getMessage();
                }
            }
        }
        return "terminated";
    }

    private String runFree(FreeLoop free) {
        TaskStore tasks = network.tasks();
        Backoff backoff = new Backoff();
        // Tasks recovered from lost workers wait in the queue: they are taken before proposing new ones, at the
        // start and with each finish (finish-and-claim costs no extra round trip).
        Task next = null;
        boolean checkQueue = true;
        while (!mustStop()) {
            try {
                Task task = next;
                next = null;
                if (task == null && checkQueue) {
                    task = tasks.claim(id, Duration.ZERO).orElse(null);
                    checkQueue = false;
                }
                if (task == null) {
                    String xs;
                    TaskError proposalError = null;
                    try {
                        Object proposal = free.propose(context);
                        if (proposal == null) {
                            return "the loop has nothing more to propose";
                        }
                        xs = Json.object(proposal, "proposed inputs");
                    } catch (Throwable e) {
                        if (mustAbandon()) {
                            break;
                        }
                        xs = Json.EMPTY;
                        proposalError = TaskError.of(e);
                    }
                    Optional<Task> created = tasks.pushRunning(id, xs);
                    if (created.isEmpty()) {
                        // A task recovered from a lost worker needs no budget: evaluate it before leaving.
                        next = mustAbandon() ? null : tasks.claim(id, Duration.ZERO).orElse(null);
                        if (next != null) {
                            continue;
                        }
                        return mustAbandon() ? "stopped" : "the network's budget of " + network.settings()
                                .map(NetworkSettings::budget).orElse(settings.budget()) + " tasks is used up";
                    }
                    task = created.get();
                    if (proposalError != null) {
                        recordFailure(task, proposalError, "the proposal");
                        checkQueue = true;
                        continue;
                    }
                }
                String ys = execute(task, free::evaluate);
                if (ys != null && !mustAbandon()) {
                    next = finish(tasks, task, ys, Duration.ZERO);
                } else {
                    checkQueue = true;
                }
                backoff.reset();
            } catch (InterruptedException e) {
                // see runQueue
            } catch (RuntimeException e) {
                checkQueue = true;
                if (!storeTrouble(e, backoff)) {
                    return "stopped after a store error: " + e.getMessage();
                }
            }
        }
        return "terminated";
    }

    /** A step of user code run on a task. */
    @FunctionalInterface
    private interface Step {
        Object run(TaskContext task) throws Exception;
    }

    /** Runs user code on a task; returns the encoded outputs, or null when the task failed (and was recorded so). */
    private String execute(Task task, Step step) throws InterruptedException {
        Contexts.OfTask context = new Contexts.OfTask(task, this.context);
        Lease lease = task.lease();
        current = lease;
        ScheduledFuture<?> timer = options.hasTaskTimeout()
                ? TIMERS.schedule(() -> Thread.startVirtualThread(() -> timeOut(lease)),
                        options.taskTimeout().toNanos(), TimeUnit.NANOSECONDS)
                : null;
        Object ys;
        try {
            ys = step.run(context);
        } catch (Throwable e) {
            if (mustAbandon()) {
                throw new InterruptedException("worker " + id + " stopped");
            }
            if (current != null) {
                recordFailure(task, TaskError.of(context.unreadableInputs() ? TaskError.Kind.INVALID_INPUT
                        : TaskError.Kind.EXCEPTION, e), "the handler");
            }
            return null;
        } finally {
            current = null;
            if (timer != null) {
                timer.cancel(false);
            }
            if (!mustAbandon()) {
                Thread.interrupted();
            }
        }
        try {
            return Json.object(ys, "outputs of task " + task.id());
        } catch (PayloadException e) {
            recordFailure(task, TaskError.of(e), "encoding its outputs");
            return null;
        }
    }

    private void timeOut(Lease lease) {
        if (network.tasks().fail(lease, TaskError.timeout(options.taskTimeout()))) {
            log.warn("task {} timed out after {}; failed it", lease.taskId(), options.taskTimeout());
            Thread t = thread;
            if (current == lease && t != null) {
                current = null;
                t.interrupt();
            }
        }
    }

    private void recordFailure(Task task, TaskError error, String stage) {
        if (network.tasks().fail(task.lease(), error)) {
            log.warn("task {} failed: {} threw {}: {}", task.id(), stage, error.type(), error.message());
        } else {
            log.debug("task {} failed but was no longer ours (recovered or timed out)", task.id());
        }
    }

    /**
     * Finishes a task and, unless the worker is stopping, claims the next queued one in the same step (waiting up to
     * {@code wait} for it); returns that next task or null.
     */
    private Task finish(TaskStore tasks, Task task, String ys, Duration wait) throws InterruptedException {
        boolean applied;
        Task next = null;
        if (mustStop()) {
            applied = tasks.finish(task.lease(), ys);
        } else {
            TaskStore.FinishAndClaim done = tasks.finishAndClaim(task.lease(), ys, wait);
            applied = done.finished();
            next = done.next().orElse(null);
        }
        if (!applied) {
            log.debug("task {} was no longer ours when finishing (recovered or timed out); result dropped",
                    task.id());
        }
        return next;
    }

    /** Logs a store failure and backs off; false when the worker should stop. */
    private boolean storeTrouble(RuntimeException e, Backoff backoff) {
        if (mustAbandon()) {
            return false;
        }
        log.warn("store operation failed ({}); retrying in {} ms", e.toString(), backoff.next().toMillis());
        try {
            Thread.sleep(backoff.current());
        } catch (InterruptedException interrupted) {
            return !mustAbandon();
        }
        return true;
    }

    /** One heartbeat: record it, act on stop requests and on having been declared lost, sweep for lost workers. */
    private void heartbeat() {
        if (finishing) {
            return;
        }
        try {
            WorkerInfo me = network.workers().heartbeat(id);
            if (me.state() != WorkerState.RUNNING) {
                if (!killed && !finishing && !lost) {
                    lost = true;
                    log.warn("the network marked this worker {} (no heartbeat for {}); stopping, its tasks"
                            + " were recovered", me.state(), options.heartbeatExpiry());
                    Thread t = thread;
                    if (t != null) {
                        t.interrupt();
                    }
                }
                return;
            }
            switch (me.stopRequest()) {
                case KILL -> kill();
                case TERMINATE -> terminate();
                case NONE -> { }
            }
            for (Recovery recovery : network.recoverLostWorkers(options.heartbeatPeriod())) {
                log.warn("worker {} was lost; recovered {} task(s): {} requeued, {} failed", recovery.worker(),
                        recovery.recovered(), recovery.requeued(), recovery.failed());
            }
        } catch (StarlingException | IllegalStateException e) {
            LOG.warn("[{}] heartbeat failed: {}", id, e.toString());
        } catch (RuntimeException e) {
            LOG.warn("[{}] heartbeat failed", id, e);
        }
    }

    private static ScheduledExecutorService timers() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "starling-task-timeouts");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Exponential backoff from 50 ms to 5 s. Confined to one thread. */
    private static final class Backoff {
        private Duration current = Duration.ZERO;

        Duration next() {
            current = current.isZero() ? Duration.ofMillis(50) : current.multipliedBy(2);
            if (current.compareTo(MAX_BACKOFF) > 0) {
                current = MAX_BACKOFF;
            }
            return current;
        }

        Duration current() {
            return current;
        }

        void reset() {
            current = Duration.ZERO;
        }
    }
}
