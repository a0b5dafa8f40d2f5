package dev.starling.spi;

import dev.starling.Task;

/**
 * Identifies one run of a task: the task, the worker running it and the attempt number. Finishing or failing a
 * task names its lease, so a worker whose task was meanwhile recovered and handed to another worker cannot finish
 * the other worker's run: its finish loses the race instead.
 *
 * @param taskId  the task
 * @param worker  the worker running it
 * @param attempt the attempt (1 for the first run)
 */
public record Lease(long taskId, String worker, int attempt) {

    /** The lease of {@code task}'s current run; meaningful only while it is RUNNING. */
    public static Lease of(Task task) {
        return new Lease(task.id(), task.worker(), task.attempts());
    }
}
