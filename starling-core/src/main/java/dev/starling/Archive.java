package dev.starling;

import dev.starling.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A local copy of a network's completed (FINISHED and FAILED) tasks, kept up to date incrementally: each
 * {@link #update()} reads only the tasks completed since the last one. Thread-safe.
 */
public final class Archive {
    private static final int PAGE = 10_000;

    private final TaskStore tasks;
    private final List<Task> seen = new ArrayList<>();
    private long cursor;

    Archive(TaskStore tasks) {
        this.tasks = tasks;
    }

    /** Reads what completed since the last update, adds it to this archive and returns it, in completion order. */
    public synchronized List<Task> update() {
        int before = seen.size();
        while (true) {
            TaskPage page = tasks.completedSince(cursor, PAGE);
            seen.addAll(page.tasks());
            cursor = page.cursor();
            if (page.tasks().size() < PAGE) {
                break;
            }
        }
        return List.copyOf(seen.subList(before, seen.size()));
    }

    /**
     * Waits up to {@code timeout} until some task completes that this archive has not read, then reads what is new,
     * as {@link #update()} does. Event-driven: it returns as soon as a task completes.
     *
     * @return the new tasks; empty on timeout
     */
    public List<Task> await(Duration timeout) throws InterruptedException {
        List<Task> fresh = update();
        if (!fresh.isEmpty()) {
            return fresh;
        }
        long at;
        synchronized (this) {
            at = cursor;
        }
        tasks.awaitCompleted(at, timeout);
        return update();
    }

    /** Every completed task read so far, in completion order. */
    public synchronized List<Task> tasks() {
        return Collections.unmodifiableList(new ArrayList<>(seen));
    }

    /** How many tasks this archive holds. */
    public synchronized int size() {
        return seen.size();
    }
}
