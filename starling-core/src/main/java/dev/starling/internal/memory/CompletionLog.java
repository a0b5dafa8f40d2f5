package dev.starling.internal.memory;

import dev.starling.Task;
import dev.starling.TaskPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Terminal tasks in the order they completed. Appends reserve a slot with one atomic increment and then fill it;
 * a reader stops at the first slot not yet filled, so each task is read exactly once and in order. Waiters block on a
 * monitor that appenders touch only when someone waits. Thread-safe.
 */
final class CompletionLog {
    private final ChunkedArray<Task> slots = new ChunkedArray<>();
    private final AtomicLong reserved = new AtomicLong();
    private final Object monitor = new Object();
    private volatile int waiters;

    void append(Task task) {
        slots.set(reserved.getAndIncrement(), task);
        // Dekker-style handshake with await(): the volatile write above happens before this volatile read.
        if (waiters != 0) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    TaskPage since(long cursor, int limit) {
        long end = Math.min(reserved.get(), cursor + Math.max(0, limit));
        List<Task> tasks = new ArrayList<>((int) Math.min(Math.max(0, end - cursor), 4096));
        long next = cursor;
        while (next < end) {
            Task task = slots.get(next);
            if (task == null) {
                break;
            }
            tasks.add(task);
            next++;
        }
        return new TaskPage(tasks, next);
    }

    long size() {
        return reserved.get();
    }

    /** The task at {@code position}, or null when its slot is not filled yet. */
    Task at(long position) {
        return position < reserved.get() ? slots.get(position) : null;
    }

    /** Puts {@code task} in the filled slot at {@code position} in place of what is there. */
    void replace(long position, Task task) {
        slots.set(position, task);
    }

    long await(long cursor, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            waiters++;
            try {
                long now;
                while (reserved.get() <= cursor && (now = System.nanoTime()) < deadline) {
                    TimeUnit.NANOSECONDS.timedWait(monitor, Math.min(deadline - now, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            } finally {
                waiters--;
            }
        }
        return reserved.get();
    }
}
