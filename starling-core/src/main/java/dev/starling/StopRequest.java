package dev.starling;

/** What a controller asked a worker to do, read by the worker with each heartbeat. */
public enum StopRequest {
    /** Keep running. */
    NONE,
    /** Finish the current task, then stop. */
    TERMINATE,
    /** Stop now; the current task is recovered like a lost worker's. */
    KILL
}
