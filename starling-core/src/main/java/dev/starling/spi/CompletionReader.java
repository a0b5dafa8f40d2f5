package dev.starling.spi;

import dev.starling.TaskPage;

/**
 * One reader of a network's completion log, from its start on: each {@link #next} reads what completed after the
 * reader's position and moves it past. A store that drops what every reader has read (see
 * {@link TaskStore#retention()}) counts the open readers; close one when done. Confined to one thread at a time.
 */
public interface CompletionReader extends AutoCloseable {
    /** Up to {@code limit} tasks completed after this reader's position, in completion order; moves past them. */
    TaskPage next(int limit);

    /** This reader's position in the completion log: how many completions it has read. */
    long cursor();

    /** Stops counting this reader; it must not be used again. Idempotent. */
    @Override
    void close();
}
