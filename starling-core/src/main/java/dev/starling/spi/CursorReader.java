package dev.starling.spi;

import dev.starling.TaskPage;

/** A reader that is only a cursor over {@link TaskStore#completedSince}, for stores that keep every payload. */
final class CursorReader implements CompletionReader {
    private final TaskStore tasks;
    private long cursor;

    CursorReader(TaskStore tasks) {
        this.tasks = tasks;
    }

    @Override
    public TaskPage next(int limit) {
        TaskPage page = tasks.completedSince(cursor, limit);
        cursor = page.cursor();
        return page;
    }

    @Override
    public long cursor() {
        return cursor;
    }

    @Override
    public void close() {
    }
}
