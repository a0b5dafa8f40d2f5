package dev.starling.internal;

import dev.starling.FreeLoop;
import dev.starling.Network;
import dev.starling.NetworkSettings;
import dev.starling.PayloadException;
import dev.starling.QueueLoop;
import dev.starling.Recovery;
import dev.starling.Scheduler;
import dev.starling.Seeds;
import dev.starling.StarlingException;
import dev.starling.StopRequest;
import dev.starling.StoreUnavailableException;
import dev.starling.Task;
import dev.starling.TaskState;
import dev.starling.TaskContext;
import dev.starling.TaskError;
import dev.starling.Worker;
import dev.starling.WorkerExit;
import dev.starling.WorkerInfo;
import dev.starling.WorkerLog;
import dev.starling.WorkerLoop;
import dev.starling.WorkerOptions;
import dev.starling.WorkerState;
import dev.starling.spi.Lease;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one worker: registers it (its heartbeat, stop requests and sweeps are a {@link Membership}), and runs its loop
 * until the budget is used up, it is terminated or killed, or the store stays unreachable past the outage limit. A
 * worker the network declared lost while it was alive (a long pause, a partition) rejoins under a new id; its stale
 * leases lose their races. Every exception from user code becomes a FAILED task; a failing store is retried with
 * backoff. Thread-safe.
 */
public final class WorkerRuntime implements Worker {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final NetworkStore network;
    private final NetworkSettings settings;
    private final Scheduler scheduler;
    private final WorkerLoop loop;
    private final WorkerOptions options;
    private final Network handle;
    private final Membership membership;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile Thread thread;
    private volatile boolean terminating;
    private volatile boolean killed;
    /** Set when the network declared this worker lost: the loop rejoins under a new id. */
    private volatile boolean rejoin;
    /** Why the worker gave up on an unreachable store, or null. */
    private volatile String outage;
    /** Why the worker stops because its network is gone from the store, or null. */
    private volatile String gone;
    /** The run of the task whose handler is running, or null; changed under {@code this} lock. */
    private volatile Lease current;
    private volatile Scheduler.Cancellable cancelChecks;
    private volatile WorkerExit exit;
    private Contexts.Worker context;

    public WorkerRuntime(NetworkStore network, NetworkSettings settings, Scheduler scheduler, WorkerLoop loop,
                         WorkerOptions options, Network handle) {
        this.network = network;
        this.settings = settings;
        this.scheduler = scheduler;
        this.loop = loop;
        this.options = options;
        this.handle = handle;
        this.membership = new Membership(network, options, scheduler, "w-", handle.store().location(),
                new Listener());
    }

    /**
     * Registers the worker (a failure is thrown here), then runs it on a new virtual or platform thread, as its
     * options say, and returns at once.
     */
    public Worker start() {
        register();
        (options.virtualThread() ? Thread.ofVirtual() : Thread.ofPlatform().daemon())
                .name("starling-worker-" + id()).start(this::loop);
        return this;
    }

    /** Registers the worker and runs it in the calling thread until it stops. */
    public void run() {
        register();
        loop();
    }

    @Override
    public String id() {
        return membership.id();
    }

    @Override
    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    @Override
    public Optional<WorkerExit> exit() {
        return Optional.ofNullable(exit);
    }

    @Override
    public void terminate() {
        terminating = true;
    }

    @Override
    public synchronized void kill() {
        if (killed || isStopped()) {
            return;
        }
        killed = true;
        try {
            Recovery recovery = membership.retire(WorkerState.KILLED);
            log().warn("killed; {} running task(s) recovered", recovery.recovered());
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not record the kill in the store: {}", id(), e.toString());
        }
        interrupt();
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private WorkerLog log() {
        return membership.log();
    }

    private void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * Prepares the loop, then registers the worker; a failure (the loop cannot prepare, no such network, store
     * unreachable) is thrown to the caller.
     */
    private void register() {
        try {
            try {
                loop.prepare(handle);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new StarlingException("the worker loop could not prepare: " + e, e);
            }
            WorkerInfo me = membership.join();
            context = context(me);
            cancelChecks = scheduler.repeat(options.heartbeatPeriod(), this::checkCancelled);
            log().info("started: {} loop, worker #{} on {} (pid {})", loop instanceof FreeLoop ? "free" : "queue",
                    me.ordinal(), me.host(), me.pid());
        } catch (RuntimeException e) {
            exit = new WorkerExit(WorkerExit.Cause.FAILED, "the worker could not start: " + e.getMessage());
            stopped.countDown();
            throw e;
        }
    }

    private Contexts.Worker context(WorkerInfo me) {
        return new Contexts.Worker(me.id(), me.ordinal(), me.tags(), settings,
                Seeds.worker(settings.seed(), me.ordinal()), membership.log(), handle);
    }

    /** Registers afresh after the network declared this worker lost; its old tasks were recovered. */
    private void rejoin() {
        String old = id();
        WorkerInfo me = membership.join();
        context = context(me);
        rejoin = false;
        // A second beat of the left registration may have told of the loss again, and interrupted this thread, before
        // the join; once joined, no word of it comes any more (Membership ignores it), so an interrupt pending now is
        // that one, and it must not reach the next task's handler (it failed tasks with InterruptedException).
        Thread.interrupted();
        log().warn("rejoined the network as {}: worker {} had been declared lost (no heartbeat reached the store"
                + " for {}); its running tasks went to other workers", me.id(), old, options.heartbeatExpiry());
    }

    private void loop() {
        thread = Thread.currentThread();
        WorkerExit end;
        try {
            end = switch (loop) {
                case QueueLoop queue -> runQueue(queue);
                case FreeLoop free -> runFree(free);
            };
        } catch (RuntimeException e) {
            end = new WorkerExit(WorkerExit.Cause.FAILED, "the worker failed: " + e);
        }
        membership.stop();
        cancelChecks.cancel();
        context.close();
        if (killed) {
            end = new WorkerExit(WorkerExit.Cause.KILLED, "worker " + id() + " was killed");
        } else if (outage != null) {
            end = new WorkerExit(WorkerExit.Cause.OUTAGE, outage);
            // The store is out of reach: say so here only; the heartbeat expires and others recover the tasks.
            LOG.warn("[{}] stopped: {}", id(), outage);
        } else if (gone != null) {
            // Nothing to retire into, and nothing to recreate: the network and its tasks are gone.
            end = new WorkerExit(WorkerExit.Cause.FAILED, gone);
            LOG.error("[{}] stopped: {}", id(), gone);
        } else {
            retire(end);
        }
        if (outage == null && gone == null) {
            log().info("stopped: {}", end.message());
        }
        exit = end;
        stopped.countDown();
    }

    private void retire(WorkerExit end) {
        try {
            Recovery recovery = membership.retire(WorkerState.TERMINATED);
            if (recovery.recovered() > 0) {
                log().warn("{} task(s) still running at stop were recovered", recovery.recovered());
            }
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not record its stop ({}) in the store: {}", id(), end.message(), e.toString());
        }
    }

    private boolean mustAbandon() {
        return killed || rejoin || outage != null || gone != null;
    }

    private WorkerExit terminated() {
        return new WorkerExit(WorkerExit.Cause.TERMINATED, "terminated");
    }

    private WorkerExit runQueue(QueueLoop queue) {
        TaskStore tasks = network.tasks();
        Batch batch = new Batch();
        Backoff backoff = new Backoff();
        while (!killed && outage == null && gone == null) {
            try {
                if (rejoin) {
                    // The network recovered every task this worker held, claimed or finished but not handed in.
                    batch.clear();
                    // The interrupt that told of the loss must not break the registration's round trip.
                    Thread.interrupted();
                    rejoin();
                    backoff.reset();
                    continue;
                }
                if (terminating) {
                    handIn(tasks, batch, 0);
                    release(tasks, batch);
                    return terminated();
                }
                Task task = batch.claimed.poll();
                if (task == null) {
                    handIn(tasks, batch, batch.size());
                    backoff.reset();
                    continue;
                }
                long began = System.nanoTime();
                String ys = execute(task, queue::handle);
                batch.ran(System.nanoTime() - began);
                if (ys == null || mustAbandon()) {
                    continue;
                }
                batch.finished.add(new TaskStore.Finish(Lease.of(task), ys));
                if (batch.mustHandIn()) {
                    handIn(tasks, batch, batch.claimed.isEmpty() ? batch.size() : 0);
                }
                backoff.reset();
            } catch (InterruptedException e) {
                // A kill, a loss or an outage interrupts waits; a late timeout interrupt is spurious and ignored.
            } catch (RuntimeException e) {
                storeTrouble(e, backoff);
            }
        }
        return terminated();
    }

    /**
     * Hands in the finished results of {@code batch} and claims up to {@code claim} more tasks, waiting up to the poll
     * timeout for them when none were left and none are queued, in one round trip. The results stay in the batch
     * until the store took them, so a failed call is simply repeated.
     */
    private void handIn(TaskStore tasks, Batch batch, int claim) throws InterruptedException {
        if (batch.finished.isEmpty() && claim == 0) {
            return;
        }
        Duration wait = claim > 0 ? options.pollTimeout() : Duration.ZERO;
        TaskStore.FinishAndClaim done = batch.finished.isEmpty() ? new TaskStore.FinishAndClaim(List.of(),
                tasks.claim(id(), claim, wait)) : tasks.finishAndClaim(batch.finished, id(), claim, wait);
        for (long lost : done.lost()) {
            log().debug("task {} was no longer ours when finishing (recovered, timed out or cancelled); result"
                    + " dropped", lost);
        }
        batch.handedIn();
        batch.claimed.addAll(done.next());
    }

    /** Gives back the tasks that a stopping worker claimed but did not start. */
    private void release(TaskStore tasks, Batch batch) {
        if (batch.claimed.isEmpty()) {
            return;
        }
        int released = tasks.release(batch.claimed.stream().map(Lease::of).toList());
        batch.claimed.clear();
        log().debug("gave back {} claimed task(s) it did not start", released);
    }

    private WorkerExit runFree(FreeLoop free) {
        TaskStore tasks = network.tasks();
        Backoff backoff = new Backoff();
        // Tasks recovered from lost workers wait in the queue: they are taken before proposing new ones, at the
        // start and with each finish (finish-and-claim costs no extra round trip).
        Task next = null;
        boolean checkQueue = true;
        while (!killed && outage == null && gone == null) {
            try {
                if (rejoin) {
                    next = null;
                    checkQueue = true;
                    Thread.interrupted();
                    rejoin();
                    backoff.reset();
                    continue;
                }
                if (terminating) {
                    return terminated();
                }
                Task task = next;
                next = null;
                if (task == null && checkQueue) {
                    task = tasks.claim(id(), Duration.ZERO).orElse(null);
                    checkQueue = false;
                }
                if (task == null) {
                    String xs;
                    TaskError proposalError = null;
                    try {
                        Object proposal = free.propose(context);
                        if (proposal == null) {
                            return new WorkerExit(WorkerExit.Cause.COMPLETED, "the loop has nothing more to propose");
                        }
                        xs = Json.object(proposal, "proposed inputs");
                    } catch (Throwable e) {
                        if (mustAbandon()) {
                            continue;
                        }
                        xs = Json.EMPTY;
                        proposalError = TaskError.of(e);
                    }
                    Optional<Task> created = tasks.pushRunning(id(), xs);
                    if (created.isEmpty()) {
                        // A task recovered from a lost worker needs no budget: evaluate it before leaving.
                        next = mustAbandon() ? null : tasks.claim(id(), Duration.ZERO).orElse(null);
                        if (next != null || mustAbandon()) {
                            continue;
                        }
                        WorkerState state = membership.state();
                        if (state == WorkerState.LOST) {
                            rejoin = true;
                            continue;
                        }
                        if (state != WorkerState.RUNNING) {
                            killed = true;
                            continue;
                        }
                        return new WorkerExit(WorkerExit.Cause.COMPLETED, "the network's budget of "
                                + network.settings().map(NetworkSettings::budget).orElse(settings.budget())
                                + " tasks is used up");
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
                storeTrouble(e, backoff);
            }
        }
        return terminated();
    }

    /** A step of user code run on a task. */
    @FunctionalInterface
    private interface Step {
        Object run(TaskContext task) throws Exception;
    }

    /** Runs user code on a task; returns the encoded outputs, or null when the task failed (and was recorded so). */
    private String execute(Task task, Step step) throws InterruptedException {
        Contexts.OfTask context = new Contexts.OfTask(task, this.context);
        Lease lease = Lease.of(task);
        synchronized (this) {
            current = lease;
        }
        Scheduler.Cancellable timer = options.hasTaskTimeout()
                ? scheduler.schedule(options.taskTimeout(), () -> timeOut(lease)) : null;
        Object ys;
        try {
            ys = step.run(context);
        } catch (Throwable e) {
            if (mustAbandon()) {
                throw new InterruptedException("worker " + id() + " stopped");
            }
            if (current != null) {
                recordFailure(task, TaskError.of(context.unreadableInputs() ? TaskError.Kind.INVALID_INPUT
                        : TaskError.Kind.EXCEPTION, e), "the handler");
            }
            return null;
        } finally {
            synchronized (this) {
                current = null;
            }
            if (timer != null) {
                timer.cancel();
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
            log().warn("task {} timed out after {}; failed it", lease.taskId(), options.taskTimeout());
            interruptHandler(lease);
        }
    }

    /**
     * Interrupts the handler of the task run {@code lease} if it is still running; it then records no failure, and
     * the interrupt cannot reach a later task: {@link #execute} clears {@code current} under the same lock and then
     * the interrupt flag.
     */
    private synchronized void interruptHandler(Lease lease) {
        if (current == lease) {
            current = null;
            interrupt();
        }
    }

    /** Runs every heartbeat period: a running task that was cancelled in the store has its handler interrupted. */
    private void checkCancelled() {
        Lease lease = current;
        if (lease == null) {
            return;
        }
        try {
            if (network.tasks().get(lease.taskId()).filter(t -> t.state() == TaskState.CANCELLED).isPresent()) {
                log().info("task {} was cancelled while it ran; interrupting its handler", lease.taskId());
                interruptHandler(lease);
            }
        } catch (RuntimeException e) {
            // The heartbeat reports trouble with the store; the next check tries again.
        }
    }

    private void recordFailure(Task task, TaskError error, String stage) {
        if (network.tasks().fail(Lease.of(task), error)) {
            log().warn("task {} failed: {} threw {}: {}", task.id(), stage, error.type(), error.message());
        } else {
            log().debug("task {} failed but was no longer ours (recovered or timed out)", task.id());
        }
    }

    /**
     * Finishes a task and, unless the worker is stopping, claims the next queued one in the same step (waiting up to
     * {@code wait} for it); returns that next task or null.
     */
    private Task finish(TaskStore tasks, Task task, String ys, Duration wait) throws InterruptedException {
        boolean applied;
        Task next = null;
        if (terminating) {
            applied = tasks.finish(Lease.of(task), ys);
        } else {
            TaskStore.FinishAndClaim done = tasks.finishAndClaim(List.of(new TaskStore.Finish(Lease.of(task), ys)),
                    id(), 1, wait);
            applied = done.lost().isEmpty();
            next = done.next().isEmpty() ? null : done.next().getFirst();
        }
        if (!applied) {
            log().debug("task {} was no longer ours when finishing (recovered or timed out); result dropped",
                    task.id());
        }
        return next;
    }

    /**
     * Logs a failed store operation and backs off. An unreachable store is ridden out up to the outage limit, then
     * the worker stops; other errors are retried.
     */
    private void storeTrouble(RuntimeException e, Backoff backoff) {
        if (mustAbandon()) {
            return;
        }
        if (e instanceof StoreUnavailableException) {
            if (membership.pastOutageLimit()) {
                outage = membership.outageMessage(membership.silence());
                return;
            }
            // The store's event log is out of reach too: this goes to SLF4J only.
            LOG.warn("[{}] {}; retrying in {} ms", id(), e.getMessage(), backoff.next().toMillis());
        } else if (network.settings().isEmpty()) {
            gone = "network '" + network.name() + "' does not exist in " + handle.store().location()
                    + " any more: it was deleted, or the store restarted without persistence and lost it; the worker"
                    + " stops rather than recreate it";
            return;
        } else {
            log().warn("store operation failed ({}); retrying in {} ms", e.toString(), backoff.next().toMillis());
        }
        try {
            Thread.sleep(backoff.current());
        } catch (InterruptedException interrupted) {
            // a stop or a loss: the loop looks at why
        }
    }

    /** What the heartbeat learns, acted on at once. */
    private final class Listener implements Membership.Listener {
        @Override
        public void stopRequested(StopRequest request) {
            switch (request) {
                case KILL -> kill();
                case TERMINATE -> terminate();
                case NONE -> { }
            }
        }

        @Override
        public void retired(WorkerState state) {
            if (killed || isStopped()) {
                return;
            }
            if (state == WorkerState.LOST) {
                log().warn("the network declared this worker lost (no heartbeat reached the store for {}); its"
                        + " tasks were recovered; rejoining", options.heartbeatExpiry());
                rejoin = true;
            } else {
                log().warn("the network marked this worker {}; stopping", state);
                killed = true;
            }
            interrupt();
        }

        @Override
        public void outage(Duration silence) {
            if (outage == null && !isStopped()) {
                outage = membership.outageMessage(silence);
                interrupt();
            }
        }
    }

    /**
     * The tasks a queue worker claimed and has not run yet, and the results it has not handed in: claiming and
     * handing in many at once takes one round trip for the lot, which is what lets short tasks run faster than one
     * per round trip. How many to take at a time follows the running mean of the handler's time, so that a batch
     * holds about {@link #BATCH_TIME} of work: tasks of a millisecond or more are claimed one at a time, as before,
     * and never hoarded away from idle workers. Results are handed in when the claimed tasks run out, when a batch's
     * worth is ready, or when the oldest has waited {@link #BATCH_TIME}. A worker that dies loses nothing: what it
     * claimed or finished without handing in is still RUNNING under it, and is recovered. Confined to the worker's
     * thread.
     */
    private static final class Batch {
        static final long BATCH_TIME = TimeUnit.MILLISECONDS.toNanos(1);
        static final int MAX = 64;

        final ArrayDeque<Task> claimed = new ArrayDeque<>();
        final List<TaskStore.Finish> finished = new ArrayList<>();
        private double meanNanos = Double.NaN;
        private long oldestFinish;

        /** How many tasks to claim at a time. */
        int size() {
            if (Double.isNaN(meanNanos)) {
                return 1;
            }
            return (int) Math.max(1, Math.min(MAX, BATCH_TIME / Math.max(1.0, meanNanos)));
        }

        void ran(long nanos) {
            meanNanos = Double.isNaN(meanNanos) ? nanos : 0.9 * meanNanos + 0.1 * nanos;
            if (finished.isEmpty()) {
                oldestFinish = System.nanoTime();
            }
        }

        boolean mustHandIn() {
            return claimed.isEmpty() || finished.size() >= size()
                    || System.nanoTime() - oldestFinish >= BATCH_TIME;
        }

        void handedIn() {
            finished.clear();
        }

        void clear() {
            claimed.clear();
            finished.clear();
        }
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
