package dev.starling.spi;

import dev.starling.Task;
import java.util.List;

/**
 * A page of tasks in the order they completed, and the cursor to read the next page from.
 *
 * @param tasks  the tasks, in completion order
 * @param cursor the position after the last task of this page
 */
public record TaskPage(List<Task> tasks, long cursor) {
}
