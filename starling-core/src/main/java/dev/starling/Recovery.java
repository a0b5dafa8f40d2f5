package dev.starling;

import dev.starling.WorkerState;

/**
 * The outcome of retiring a worker.
 *
 * @param worker   the worker
 * @param state    the state it was moved to
 * @param applied  false when it was no longer RUNNING (someone else retired it first)
 * @param requeued how many of its running tasks went back to QUEUED
 * @param failed   how many of its running tasks became FAILED because they had no attempts left
 */
public record Recovery(String worker, WorkerState state, boolean applied, int requeued, int failed) {

    /** Tasks recovered in all. */
    public int recovered() {
        return requeued + failed;
    }
}
