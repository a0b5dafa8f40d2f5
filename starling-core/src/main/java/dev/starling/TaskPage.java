package dev.starling;

import java.util.List;

/**
 * A page of tasks in the order they completed, and the cursor to read the next page from
 * ({@link Network#completedSince}). Cursors are positions in a network's completion log: 0 is its start.
 *
 * @param tasks  the tasks, in completion order
 * @param cursor the position after the last task of this page
 */
public record TaskPage(List<Task> tasks, long cursor) {
}
