package dev.starling;

/**
 * The state of a worker in the registry. A worker starts RUNNING and ends in exactly one of the other states.
 */
public enum WorkerState {
    /** Registered and heartbeating. */
    RUNNING,
    /** Stopped after finishing its current task (terminate), or because the budget was used up. */
    TERMINATED,
    /** Stopped at once (kill); its running tasks were recovered. */
    KILLED,
    /** Its heartbeat expired; its running tasks were recovered. */
    LOST;

    /** True for every state but RUNNING. */
    public boolean isTerminal() {
        return this != RUNNING;
    }
}
