package dev.starling;

/**
 * A worker loop that takes tasks from the network's queue. The runtime claims a task, calls {@link #handle}, and
 * finishes the task with the returned outputs; an exception makes the task FAILED with the exception's class, message
 * and stack trace, and the worker goes on.
 */
@FunctionalInterface
public non-sealed interface QueueLoop extends WorkerLoop {

    /**
     * Handles one task.
     *
     * @return the task's outputs: a map or a record that encodes to a JSON object; null for none
     */
    Object handle(TaskContext task) throws Exception;
}
