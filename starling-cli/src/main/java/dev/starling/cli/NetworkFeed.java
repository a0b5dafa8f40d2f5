package dev.starling.cli;

import dev.starling.Network;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.TaskPage;
import dev.starling.TaskState;
import dev.starling.WorkerInfo;
import dev.starling.optimize.EvaluationArchive;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the dashboard and {@code status --watch} know of one network, kept up to date incrementally: each {@link #refresh()} reads only the
 * tasks completed since the last one (the store's completion cursor), so a network of 100,000 tasks costs one page of
 * new tasks per refresh, not a reread of all of them. It tallies, per worker, the tasks finished and failed and the
 * time spent on them, keeps the latest failures, and, for an optimization, its evaluation archive; it notes whether
 * the network records metrics (an algorithm's). Reading changes nothing in the store. Thread-safe.
 */
public final class NetworkFeed {
    public static final int PAGE = 5_000;
    private static final int FAILURES_KEPT = 100;

    /** Per worker: tasks finished and failed, and the milliseconds they kept it busy. */
    private static final class Tally {
        long finished;
        long failed;
        long busyMillis;
    }

    /** A point-in-time picture of the network, with the tallies as they were at {@link #at}. */
    public record Snapshot(Network network, Instant at, TaskCounts counts, List<WorkerInfo> workers,
                    Map<String, Task> running, Map<String, long[]> tallies, List<Task> failures,
                    Optional<EvaluationArchive> optimization, boolean metrics) {

        public long finished(String worker) {
            return tallies.getOrDefault(worker, new long[3])[0];
        }

        public long failed(String worker) {
            return tallies.getOrDefault(worker, new long[3])[1];
        }

        /** The share of its registered time that {@code worker} spent on tasks, running ones included, in [0, 1]. */
        public double utilization(WorkerInfo worker) {
            long busy = tallies.getOrDefault(worker.id(), new long[3])[2];
            Task current = running.get(worker.id());
            if (current != null && current.started() != null) {
                busy += Math.max(0, Duration.between(current.started(), at).toMillis());
            }
            Instant end = worker.stopped() != null ? worker.stopped() : at;
            long alive = Duration.between(worker.started(), end).toMillis();
            return alive <= 0 ? 0 : Math.min(1, busy / (double) alive);
        }
    }

    private final Network network;
    private final Map<String, Tally> tallies = new HashMap<>();
    private final Deque<Task> failures = new ArrayDeque<>();
    private long cursor;
    private long completed;
    private EvaluationArchive optimization;
    private boolean metrics;

    /** A feed of {@code network} that has read nothing yet. */
    public NetworkFeed(Network network) {
        this.network = network;
    }

    /** The network it reads. */
    public Network network() {
        return network;
    }

    /** Reads what is new in the store and returns the network as it is now. */
    public synchronized Snapshot refresh() {
        // Counts first, then completions: a task counted as completed has then always been tallied too.
        TaskCounts counts = network.counts();
        if (counts.completed() < completed) {
            // Fewer completed tasks than read: the network was reset or recreated, so read it afresh. (A reset
            // followed by more completions than were read, all between two refreshes, goes unnoticed.)
            cursor = 0;
            completed = 0;
            tallies.clear();
            failures.clear();
            optimization = null;
            metrics = false;
        }
        while (true) {
            TaskPage page = network.completedSince(cursor, PAGE);
            page.tasks().forEach(this::tally);
            completed += page.tasks().size();
            cursor = page.cursor();
            if (page.tasks().size() < PAGE) {
                break;
            }
        }
        if (optimization == null) {
            optimization = EvaluationArchive.ofOptimization(network).orElse(null);
        } else {
            optimization.update();
        }
        // An algorithm network is one that records metrics; once it has, it stays one.
        metrics = metrics || !network.metrics(0, 1).isEmpty();
        Map<String, Task> running = new HashMap<>();
        for (Task t : network.tasks(TaskState.RUNNING)) {
            if (t.worker() != null) {
                running.put(t.worker(), t);
            }
        }
        Map<String, long[]> copy = new HashMap<>();
        tallies.forEach((id, t) -> copy.put(id, new long[] {t.finished, t.failed, t.busyMillis}));
        return new Snapshot(network, network.store().clock().instant(), counts, network.workers(), running, copy,
                List.copyOf(failures), Optional.ofNullable(optimization), metrics);
    }

    private void tally(Task task) {
        if (task.worker() == null) {
            return;
        }
        Tally t = tallies.computeIfAbsent(task.worker(), w -> new Tally());
        if (task.state() == TaskState.FINISHED) {
            t.finished++;
        } else if (task.state() == TaskState.FAILED) {
            t.failed++;
            failures.addFirst(task);
            if (failures.size() > FAILURES_KEPT) {
                failures.removeLast();
            }
        }
        if (task.started() != null && task.finished() != null) {
            t.busyMillis += Math.max(0, Duration.between(task.started(), task.finished()).toMillis());
        }
    }
}
