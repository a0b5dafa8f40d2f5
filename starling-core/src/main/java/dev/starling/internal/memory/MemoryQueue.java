package dev.starling.internal.memory;

import dev.starling.WorkerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queued task ids of one network in memory: one lock-free queue for tasks any worker may run, one per route for
 * routed tasks (by route key: {@code w:ID} or {@code t:TAG}), and the route of each routed task. A claimer takes from
 * its own routes first, then from the shared queue; when all are empty it waits on a monitor that adders touch only
 * when someone waits. Ids may be stale (a cancelled task stays in the queue): the task store skips those. Thread-safe.
 */
final class MemoryQueue {
    private final Queue<Long> any = new ConcurrentLinkedQueue<>();
    private final Map<String, Queue<Long>> routed = new ConcurrentHashMap<>();
    private final ChunkedArray<String> routes = new ChunkedArray<>();
    private final AtomicLong version = new AtomicLong();
    private final Object monitor = new Object();
    /** How long a claimer watches for a push before it parks. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private volatile int waiters;
    private volatile boolean anyRouted;

    /** Queues {@code ids}, each on its route ({@code routes} null or an entry empty: any worker), and wakes waiters. */
    void addAll(List<Long> ids, List<String> keys) {
        boolean anyRoute = false;
        for (int i = 0; i < ids.size(); i++) {
            anyRoute |= enqueue(ids.get(i), keys == null ? null : keys.get(i), true);
        }
        signal(ids.size(), anyRoute);
    }

    /** Queues a task again (recovered or released) on the route it was pushed with, and wakes waiters. */
    void requeue(long id) {
        signal(1, enqueue(id, routes.get(id), false));
    }

    /** Queues {@code id} on its route; returns whether it has one. */
    private boolean enqueue(long id, String key, boolean remember) {
        if (key == null || key.isEmpty()) {
            any.add(id);
            return false;
        }
        if (remember) {
            routes.set(id, key);
        }
        anyRouted = true;
        routed.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(id);
        return true;
    }

    /**
     * Wakes waiters for {@code n} new tasks: one waiter per task when any waiter may take them (waking them all for
     * one task made two idle workers race for it, which doubled the latency of a lone future), every waiter when some
     * task is routed, since only its route's workers may take it.
     */
    private void signal(int n, boolean routed) {
        version.incrementAndGet();
        // Dekker-style handshake with await(): the volatile write above happens before this volatile read.
        if (waiters != 0) {
            synchronized (monitor) {
                if (routed || n >= waiters) {
                    monitor.notifyAll();
                } else {
                    for (int i = 0; i < n; i++) {
                        monitor.notify();
                    }
                }
            }
        }
    }

    /** The route key a task was pushed with, or null for any worker. */
    String routeOf(long id) {
        return routes.get(id);
    }

    /**
     * The next id that {@code worker} may claim — from its routes first — waiting until {@code deadline} (a
     * {@link System#nanoTime()}) when there is none; null on timeout.
     */
    Long poll(WorkerInfo worker, long deadline) throws InterruptedException {
        while (true) {
            long seen = version.get();
            Long id = pollNow(worker);
            if (id != null) {
                return id;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            if (spinFor(seen, Math.min(remaining, SPIN_NANOS))) {
                continue;
            }
            synchronized (monitor) {
                waiters++;
                try {
                    if (version.get() == seen) {
                        TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
                    }
                } finally {
                    waiters--;
                }
            }
        }
    }

    /**
     * Watches for a push for up to {@code nanos} before the caller parks; true when one came. A worker that just
     * handed in a result often gets the next task within microseconds (a submitter that waited on that result
     * submits again at once), and waking a parked thread costs 10-25 µs on a busy two-core machine, so a short spin
     * is what keeps a lone future's round trip in memory near 20 µs.
     */
    private boolean spinFor(long seen, long nanos) {
        long until = System.nanoTime() + nanos;
        boolean virtual = Thread.currentThread().isVirtual();
        while (System.nanoTime() < until) {
            if (version.get() != seen) {
                return true;
            }
            if (virtual) {
                // A virtual thread spinning holds its carrier: let the other virtual threads on it run.
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        return false;
    }

    /** The next id that {@code worker} may claim now, or null. */
    Long pollNow(WorkerInfo worker) {
        if (anyRouted) {
            Long id = pollRoute("w:" + worker.id());
            if (id != null) {
                return id;
            }
            for (String tag : worker.tags()) {
                id = pollRoute("t:" + tag);
                if (id != null) {
                    return id;
                }
            }
        }
        return any.poll();
    }

    private Long pollRoute(String key) {
        Queue<Long> queue = routed.get(key);
        return queue == null ? null : queue.poll();
    }

    /** Every queued id, routed ones first by route, then the shared queue, each in queue order. */
    List<Long> snapshot() {
        List<Long> ids = new ArrayList<>();
        routed.values().forEach(ids::addAll);
        ids.addAll(any);
        return ids;
    }
}
