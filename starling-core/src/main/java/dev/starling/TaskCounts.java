package dev.starling;

/**
 * How many tasks of a network are in each state. Taken while workers run, the figures are a consistent-enough
 * snapshot for progress reports, not an atomic one.
 */
public record TaskCounts(long queued, long running, long finished, long failed, long cancelled) {

    /** The counts of a network where no task was cancelled. */
    public TaskCounts(long queued, long running, long finished, long failed) {
        this(queued, running, finished, failed, 0);
    }

    /** All tasks ever created. */
    public long total() {
        return queued + running + finished + failed + cancelled;
    }

    /** Tasks in a terminal state. */
    public long completed() {
        return finished + failed + cancelled;
    }

    /** Tasks not yet in a terminal state. */
    public long pending() {
        return queued + running;
    }

    /** The count for one state. */
    public long of(TaskState state) {
        return switch (state) {
            case QUEUED -> queued;
            case RUNNING -> running;
            case FINISHED -> finished;
            case FAILED -> failed;
            case CANCELLED -> cancelled;
        };
    }
}
