package dev.starling.internal.memory;

import dev.starling.BudgetExhaustedException;
import dev.starling.NetworkSettings;
import dev.starling.Retention;
import dev.starling.Seeds;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.TaskError;
import dev.starling.TaskState;
import dev.starling.WorkerInfo;
import dev.starling.internal.Json;
import dev.starling.spi.CompletionReader;
import dev.starling.spi.Lease;
import dev.starling.TaskPage;
import dev.starling.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of one network in memory. Each task is an immutable {@link Task} snapshot in a lock-free table indexed by
 * id; a transition replaces the snapshot by compare-and-set, so it is atomic with its data and the first writer wins.
 * Thread-safe, without a global lock.
 */
final class MemoryTaskStore implements TaskStore {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryTaskStore.class);
    private final String network;
    private final NetworkSettings settings;
    private final InstantSource clock;
    private final MemoryWorkerRegistry workers;

    private final ChunkedArray<Task> table = new ChunkedArray<>();
    private final AtomicLong lastId = new AtomicLong();
    private final MemoryQueue queue = new MemoryQueue();
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final CompletionLog completed = new CompletionLog();
    private final LongAdder queuedCount = new LongAdder();
    private final LongAdder runningCount = new LongAdder();
    private final LongAdder finishedCount = new LongAdder();
    private final LongAdder failedCount = new LongAdder();
    private final LongAdder cancelledCount = new LongAdder();
    /** The reply channel of each task that has one and has not completed. */
    private final Map<Long, String> replyTo = new ConcurrentHashMap<>();
    private final Map<String, LinkedBlockingQueue<Task>> channels = new ConcurrentHashMap<>();
    /** Channels whose replies go straight to their submitter, on the thread that ends the task. */
    private final Map<String, Consumer<Task>> sinks = new ConcurrentHashMap<>();
    private final Retention retention;
    /** The open readers of the completion log; weakly held, so an archive dropped unclosed stops counting. */
    private final Set<Reader> readers = Collections.newSetFromMap(new WeakHashMap<>());
    /** Completions before this position have had their payloads dropped (with DROP_READ); guarded by readers. */
    private long dropped;

    private volatile long budget;

    MemoryTaskStore(String network, NetworkSettings settings, InstantSource clock, MemoryWorkerRegistry workers,
                    Retention retention) {
        this.network = network;
        this.settings = settings;
        this.budget = settings.budget();
        this.clock = clock;
        this.workers = workers;
        this.retention = retention;
    }

    @Override
    public List<Long> push(List<String> xs, List<String> routes, String reply) {
        if (routes != null && routes.size() != xs.size()) {
            throw new IllegalArgumentException("need one route per task: " + routes.size() + " routes for "
                    + xs.size() + " tasks");
        }
        if (xs.isEmpty()) {
            return List.of();
        }
        long first = reserve(xs.size());
        if (first < 0) {
            throw new BudgetExhaustedException(network, budget, lastId.get(), xs.size());
        }
        Instant now = clock.instant();
        List<Long> ids = new ArrayList<>(xs.size());
        for (int i = 0; i < xs.size(); i++) {
            long id = first + i;
            if (reply != null) {
                replyTo.put(id, reply);
            }
            table.set(id, new Task(id, TaskState.QUEUED, xs.get(i), null, null, 0,
                    Seeds.task(settings.seed(), id), now, null, null, null));
            ids.add(id);
        }
        queuedCount.add(ids.size());
        queue.addAll(ids, routes);
        return ids;
    }

    @Override
    public Optional<Task> pushRunning(String worker, String xs) {
        if (!workers.checkRegistered(worker)) {
            return Optional.empty();
        }
        long id = reserve(1);
        if (id < 0) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Task task = new Task(id, TaskState.RUNNING, xs, null, worker, 1, Seeds.task(settings.seed(), id),
                now, now, null, null);
        running.add(id);
        table.set(id, task);
        runningCount.increment();
        recoverIfWorkerGone(task);
        return Optional.of(task);
    }

    /** See {@link dev.starling.spi.NetworkStore#setBudget}. */
    void setBudget(long budget) {
        this.budget = budget;
    }

    /** Takes {@code n} consecutive ids within the budget; returns the first, or -1 when the budget is short. */
    private long reserve(int n) {
        while (true) {
            long last = lastId.get();
            if (last + n > budget) {
                return -1;
            }
            if (lastId.compareAndSet(last, last + n)) {
                return last + 1;
            }
        }
    }

    @Override
    public List<Task> claim(String worker, int max, Duration timeout) throws InterruptedException {
        if (max < 1) {
            return List.of();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (workers.checkRegistered(worker)) {
            WorkerInfo me = workers.find(worker);
            Long id = queue.poll(me, deadline);
            if (id == null) {
                return List.of();
            }
            Task task = start(id, worker);
            if (task == null) {
                continue;
            }
            if (max == 1) {
                return List.of(task);
            }
            List<Task> claimed = new ArrayList<>(Math.min(max, 64));
            claimed.add(task);
            while (claimed.size() < max && (id = queue.pollNow(me)) != null) {
                Task next = start(id, worker);
                if (next != null) {
                    claimed.add(next);
                }
            }
            return claimed;
        }
        return List.of();
    }

    @Override
    public int release(List<Lease> leases) {
        int released = 0;
        for (Lease lease : leases) {
            Task current = table.get(lease.taskId());
            if (!holds(current, lease)) {
                continue;
            }
            current.state().checkMoveTo(TaskState.QUEUED);
            Task queued = new Task(current.id(), TaskState.QUEUED, current.xsJson(), null, null,
                    current.attempts() - 1, current.seed(), current.created(), null, null, null);
            if (table.compareAndSet(current.id(), current, queued)) {
                running.remove(current.id());
                runningCount.decrement();
                queuedCount.increment();
                queue.requeue(current.id());
                released++;
            }
        }
        return released;
    }

    private Task start(long id, String worker) {
        running.add(id);
        while (true) {
            Task current = table.get(id);
            if (current == null || current.state() != TaskState.QUEUED) {
                running.remove(id);
                return null;
            }
            current.state().checkMoveTo(TaskState.RUNNING);
            Task next = new Task(id, TaskState.RUNNING, current.xsJson(), null, worker, current.attempts() + 1,
                    current.seed(), current.created(), clock.instant(), null, null);
            if (table.compareAndSet(id, current, next)) {
                queuedCount.decrement();
                runningCount.increment();
                return recoverIfWorkerGone(next) ? null : next;
            }
        }
    }

    /**
     * Closes the race between a claim and the retirement of its worker: retire() marks the worker first and then
     * scans the running tasks, a claim writes the task first and then checks the worker, so one of them sees the
     * other. Whichever recovers the task, the lease makes it happen once.
     */
    private boolean recoverIfWorkerGone(Task task) {
        if (workers.isRunning(task.worker())) {
            return false;
        }
        recover(task);
        return true;
    }

    @Override
    public boolean finish(Lease lease, String ys) {
        return complete(lease, TaskState.FINISHED, ys, null, false);
    }

    @Override
    public boolean fail(Lease lease, TaskError error) {
        return complete(lease, TaskState.FAILED, null, error, false);
    }

    /**
     * Moves a task from RUNNING to a terminal state under its lease.
     *
     * @param recovery whether this fails a lost worker's task; its worker's recovered count then goes up before the
     *                 task is published, so whoever sees the task FAILED also sees the count
     */
    private boolean complete(Lease lease, TaskState state, String ys, TaskError error, boolean recovery) {
        long id = lease.taskId();
        while (true) {
            Task current = table.get(id);
            if (!holds(current, lease)) {
                return false;
            }
            current.state().checkMoveTo(state);
            Task next = new Task(id, state, current.xsJson(), ys, current.worker(), current.attempts(),
                    current.seed(), current.created(), current.started(), clock.instant(), error);
            if (table.compareAndSet(id, current, next)) {
                running.remove(id);
                runningCount.decrement();
                (state == TaskState.FINISHED ? finishedCount : failedCount).increment();
                if (recovery) {
                    workers.addRecovered(lease.worker(), 1);
                }
                publish(next);
                return true;
            }
        }
    }

    /** Delivers a task that just reached a terminal state to the completion log and to its reply channel. */
    private void publish(Task task) {
        completed.append(task);
        if (retention == Retention.DROP_READ) {
            dropRead();
        }
        String channel = replyTo.remove(task.id());
        if (channel != null) {
            // As on every store, a reply leaves the inputs out: the submitter has them.
            Task reply = new Task(task.id(), task.state(), Json.EMPTY, task.ysJson(), task.worker(), task.attempts(),
                    task.seed(), task.created(), task.started(), task.finished(), task.error());
            Consumer<Task> sink = sinks.get(channel);
            if (sink == null) {
                channel(channel).add(reply);
            } else {
                try {
                    sink.accept(reply);
                } catch (RuntimeException e) {
                    LOG.warn("the reply of task {} to channel {} failed: {}", task.id(), channel, e.toString());
                }
            }
        }
    }

    private LinkedBlockingQueue<Task> channel(String name) {
        return channels.computeIfAbsent(name, n -> new LinkedBlockingQueue<>());
    }

    @Override
    public List<Long> cancel(List<Long> ids) {
        List<Long> cancelled = new ArrayList<>();
        for (long id : ids) {
            if (cancel(id)) {
                cancelled.add(id);
            }
        }
        return cancelled;
    }

    private boolean cancel(long id) {
        while (true) {
            Task current = get(id).orElse(null);
            if (current == null || current.state().isTerminal()) {
                return false;
            }
            current.state().checkMoveTo(TaskState.CANCELLED);
            Task next = new Task(id, TaskState.CANCELLED, current.xsJson(), null, current.worker(),
                    current.attempts(), current.seed(), current.created(), current.started(), clock.instant(), null);
            if (table.compareAndSet(id, current, next)) {
                // A queued task's id stays in the queue; a claim skips it because it is no longer QUEUED.
                if (current.state() == TaskState.RUNNING) {
                    running.remove(id);
                    runningCount.decrement();
                } else {
                    queuedCount.decrement();
                }
                cancelledCount.increment();
                publish(next);
                return true;
            }
        }
    }

    @Override
    public List<Task> subscribe(String channel, List<Long> ids) {
        List<Task> tasks = new ArrayList<>(ids.size());
        for (long id : ids) {
            if (get(id).isEmpty()) {
                continue;
            }
            replyTo.put(id, channel);
            // Read after pointing the channel: a task not terminal here publishes to the new channel.
            Task task = get(id).orElseThrow();
            if (task.state().isTerminal()) {
                replyTo.remove(id, channel);
            }
            tasks.add(task);
        }
        return tasks;
    }

    @Override
    public List<Task> awaitReplies(String channel, int max, Duration timeout) throws InterruptedException {
        LinkedBlockingQueue<Task> queue = channel(channel);
        Task first = timeout.isZero() ? queue.poll() : queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return List.of();
        }
        List<Task> tasks = new ArrayList<>(Math.min(max, 1 + queue.size()));
        tasks.add(first);
        queue.drainTo(tasks, max - 1);
        return tasks;
    }

    @Override
    public boolean deliverReplies(String channel, Consumer<Task> sink) {
        sinks.put(channel, sink);
        return true;
    }

    @Override
    public void closeChannel(String channel) {
        channels.remove(channel);
        sinks.remove(channel);
    }

    private static boolean holds(Task task, Lease lease) {
        return task != null && task.state() == TaskState.RUNNING && task.attempts() == lease.attempt()
                && lease.worker().equals(task.worker());
    }

    @Override
    public FinishAndClaim finishAndClaim(List<Finish> finishes, String worker, int max, Duration timeout)
            throws InterruptedException {
        List<Long> lost = new ArrayList<>(0);
        for (Finish f : finishes) {
            if (!finish(f.lease(), f.ys())) {
                lost.add(f.lease().taskId());
            }
        }
        return new FinishAndClaim(lost, claim(worker, max, timeout));
    }

    /** Recovers the running tasks of a retired worker. */
    int[] recoverAll(String worker) {
        int requeued = 0;
        int failed = 0;
        for (Long id : running) {
            Task task = table.get(id);
            if (task != null && task.state() == TaskState.RUNNING && worker.equals(task.worker())) {
                TaskState outcome = recover(task);
                if (outcome == TaskState.QUEUED) {
                    requeued++;
                } else if (outcome == TaskState.FAILED) {
                    failed++;
                }
            }
        }
        return new int[] {requeued, failed};
    }

    /**
     * Requeues a task of a lost worker, or fails it when its attempts are used up; null when it lost the race. The
     * worker's recovered count goes up before the task can be claimed or read as completed.
     */
    private TaskState recover(Task task) {
        if (task.attempts() >= settings.maxAttempts()) {
            return complete(Lease.of(task), TaskState.FAILED, null,
                    TaskError.workerLost(task.worker(), task.attempts()), true) ? TaskState.FAILED : null;
        }
        TaskState.RUNNING.checkMoveTo(TaskState.QUEUED);
        Task queued = new Task(task.id(), TaskState.QUEUED, task.xsJson(), null, null, task.attempts(), task.seed(),
                task.created(), null, null, null);
        if (!table.compareAndSet(task.id(), task, queued)) {
            return null;
        }
        running.remove(task.id());
        runningCount.decrement();
        queuedCount.increment();
        workers.addRecovered(task.worker(), 1);
        queue.requeue(task.id());
        return TaskState.QUEUED;
    }

    @Override
    public Optional<Task> get(long id) {
        return id < 1 || id > lastId.get() ? Optional.empty() : Optional.ofNullable(table.get(id));
    }

    @Override
    public List<Task> fetch(TaskState state) {
        List<Task> tasks = new ArrayList<>();
        switch (state) {
            case QUEUED -> {
                for (Long id : new LinkedHashSet<>(queue.snapshot())) {
                    Task task = table.get(id);
                    if (task != null && task.state() == TaskState.QUEUED) {
                        tasks.add(task);
                    }
                }
            }
            case RUNNING -> running.stream().sorted().map(table::get)
                    .filter(t -> t != null && t.state() == TaskState.RUNNING).forEach(tasks::add);
            case FINISHED, FAILED, CANCELLED -> {
                for (Task task : completed.since(0, Integer.MAX_VALUE).tasks()) {
                    if (task.state() == state) {
                        tasks.add(task);
                    }
                }
            }
        }
        return tasks;
    }

    @Override
    public TaskPage completedSince(long cursor, int limit) {
        return completed.since(cursor, limit);
    }

    @Override
    public CompletionReader reader() {
        CompletionReader plain = TaskStore.super.reader();
        if (retention == Retention.KEEP) {
            return plain;
        }
        Reader reader = new Reader(plain);
        synchronized (readers) {
            readers.add(reader);
        }
        return reader;
    }

    @Override
    public Retention retention() {
        return retention;
    }

    /**
     * Drops the payloads of the completed tasks that every open reader has read (all of them when none is open), in
     * the completion log and in the table alike. Each completion is dropped once: the work is proportional to what
     * the readers have newly read.
     */
    private void dropRead() {
        synchronized (readers) {
            long upTo = completed.size();
            for (Reader r : readers) {
                upTo = Math.min(upTo, r.cursor());
            }
            while (dropped < upTo) {
                Task task = completed.at(dropped);
                if (task == null) {
                    // Reserved, not yet filled: its completer drops it (and what follows) when it publishes.
                    break;
                }
                Task bare = task.withoutPayloads();
                completed.replace(dropped, bare);
                table.compareAndSet(task.id(), task, bare);
                dropped++;
            }
        }
    }

    /**
     * A counted reader of the completion log (with DROP_READ): a plain cursor that lets the store drop what it moved
     * past. Another thread may read its position late, which only delays a drop.
     */
    private final class Reader implements CompletionReader {
        private final CompletionReader cursor;

        Reader(CompletionReader cursor) {
            this.cursor = cursor;
        }

        @Override
        public TaskPage next(int limit) {
            TaskPage page = cursor.next(limit);
            dropRead();
            return page;
        }

        @Override
        public long cursor() {
            return cursor.cursor();
        }

        @Override
        public void close() {
            synchronized (readers) {
                readers.remove(this);
            }
            dropRead();
        }
    }

    @Override
    public long awaitCompleted(long cursor, Duration timeout) throws InterruptedException {
        return completed.await(cursor, timeout);
    }

    @Override
    public TaskCounts counts() {
        return new TaskCounts(queuedCount.sum(), runningCount.sum(), finishedCount.sum(), failedCount.sum(),
                cancelledCount.sum());
    }
}
