package dev.starling;

import dev.starling.spi.CompletionReader;
import dev.starling.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A local copy of a network's completed (FINISHED and FAILED) tasks, kept up to date incrementally: each
 * {@link #update()} reads only the tasks completed since the last one. It is one reader of the network's
 * completions: on a memory store with {@link Retention#DROP_READ} it holds back the dropping of what it has not read
 * until it is closed, and it keeps its own copies {@linkplain Task#withoutPayloads() without payloads} too (the
 * update that reads a task returns it whole). Thread-safe.
 */
public final class Archive implements AutoCloseable {
    private static final int PAGE = 10_000;

    private final TaskStore tasks;
    private final CompletionReader reader;
    private final boolean keepPayloads;
    private final List<Task> seen = new ArrayList<>();

    Archive(TaskStore tasks) {
        this.tasks = tasks;
        this.reader = tasks.reader();
        this.keepPayloads = tasks.retention() == Retention.KEEP;
    }

    /** Reads what completed since the last update, adds it to this archive and returns it, in completion order. */
    public synchronized List<Task> update() {
        List<Task> fresh = new ArrayList<>();
        while (true) {
            TaskPage page = reader.next(PAGE);
            fresh.addAll(page.tasks());
            if (page.tasks().size() < PAGE) {
                break;
            }
        }
        for (Task task : fresh) {
            seen.add(keepPayloads ? task : task.withoutPayloads());
        }
        return List.copyOf(fresh);
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
            at = reader.cursor();
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

    /** Stops this archive from holding back a store's dropping of what it has not read; it keeps what it holds. */
    @Override
    public void close() {
        reader.close();
    }
}
