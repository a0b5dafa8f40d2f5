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
    private volatile int waiters;
    private volatile boolean anyRouted;

    /** Queues {@code ids}, each on its route ({@code routes} null or an entry empty: any worker), and wakes waiters. */
    void addAll(List<Long> ids, List<String> keys) {
        for (int i = 0; i < ids.size(); i++) {
            enqueue(ids.get(i), keys == null ? null : keys.get(i), true);
        }
        signal();
    }

    /** Queues a task again (recovered or released) on the route it was pushed with, and wakes waiters. */
    void requeue(long id) {
        enqueue(id, routes.get(id), false);
        signal();
    }

    private void enqueue(long id, String key, boolean remember) {
        if (key == null || key.isEmpty()) {
            any.add(id);
            return;
        }
        if (remember) {
            routes.set(id, key);
        }
        anyRouted = true;
        routed.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(id);
    }

    private void signal() {
        version.incrementAndGet();
        // Dekker-style handshake with await(): the volatile write above happens before this volatile read.
        if (waiters != 0) {
            synchronized (monitor) {
                monitor.notifyAll();
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
