package dev.starling;

/**
 * What the memory store keeps of a task once it completed (FINISHED, FAILED or CANCELLED). Millions of finished tasks
 * held in memory cost about 235 bytes each, most of it their inputs and outputs; an application that reads each
 * result as it arrives, and never again, does not need them kept.
 *
 * @see Store#memory(Retention)
 */
public enum Retention {
    /** Every completed task keeps its inputs and outputs: the default. */
    KEEP,
    /**
     * A completed task's inputs and outputs are dropped once every open reader of the network's completions (an
     * {@link Archive}: a controller's, an optimizer's, a free-loop worker's) has read past it, and at once when no
     * reader is open. Each reader gets them once, from the read that brings the task
     * ({@link Archive#update()}); afterwards the task reads as {@link Task#withoutPayloads()}: its id, state,
     * worker, attempts, seed, times and error stay. A reader opened later finds the tasks completed before it was
     * opened already read by everyone else. An archive that is never closed stops counting once it is garbage.
     */
    DROP_READ
}
