package dev.starling;

/**
 * The state of a task. The allowed transitions live here and nowhere else:
 * <pre>
 * QUEUED  → RUNNING              (a worker claims it)
 * RUNNING → FINISHED | FAILED    (its worker finishes or fails it, or a timeout fails it)
 * RUNNING → QUEUED | FAILED      (its worker was lost: retried, or failed once its attempts are used up)
 * QUEUED  → CANCELLED            (cancelled before it ran: it never runs)
 * RUNNING → CANCELLED            (cancelled while it ran: its handler is interrupted, its result discarded)
 * FINISHED, FAILED, CANCELLED    terminal: never change again
 * </pre>
 */
public enum TaskState {
    QUEUED,
    RUNNING,
    FINISHED,
    FAILED,
    CANCELLED;

    /** True for FINISHED, FAILED and CANCELLED, the states a task never leaves. */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == CANCELLED;
    }

    /** Whether a task in this state may move to {@code next}. */
    public boolean canMoveTo(TaskState next) {
        return switch (this) {
            case QUEUED -> next == RUNNING || next == CANCELLED;
            case RUNNING -> next == FINISHED || next == FAILED || next == QUEUED || next == CANCELLED;
            case FINISHED, FAILED, CANCELLED -> false;
        };
    }

    /**
     * Checks a transition.
     *
     * @throws IllegalStateException when {@code canMoveTo(next)} is false; a store calls this before every write,
     *                               so a bug that would break the task lifecycle fails loudly instead of silently
     */
    public void checkMoveTo(TaskState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("a task cannot move from " + this + " to " + next);
        }
    }
}
