package dev.starling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a worker (or a worker process) ended. Immutable.
 *
 * @param cause   why it stopped
 * @param message what happened, in a sentence that names the network or the store where it matters
 */
public record WorkerExit(Cause cause, String message) {

    /** Why a worker stopped. */
    public enum Cause {
        /** Its work was done: the network's budget was used up, or its loop had nothing more to propose. */
        COMPLETED,
        /** A controller asked it to stop after its current task. */
        TERMINATED,
        /** It was killed; its running tasks were recovered. */
        KILLED,
        /** The store stayed unreachable longer than the worker's outage limit. */
        OUTAGE,
        /** It stopped on an error it could not ride out (the network was deleted, its loop could not start). */
        FAILED;

        /** Whether a worker that stopped this way ended its work short of what was asked of it. */
        public boolean isShort() {
            return this == OUTAGE || this == FAILED;
        }
    }

    public WorkerExit {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Why a run ended short, from how its workers ended: the first outage or failure, with how many workers stopped
     * that way; empty when none did.
     */
    public static Optional<String> shortfall(Collection<WorkerExit> exits) {
        List<WorkerExit> stoppedShort = new ArrayList<>();
        for (WorkerExit exit : exits) {
            if (exit.cause().isShort()) {
                stoppedShort.add(exit);
            }
        }
        if (stoppedShort.isEmpty()) {
            return Optional.empty();
        }
        WorkerExit first = stoppedShort.stream().filter(e -> e.cause() == Cause.OUTAGE).findFirst()
                .orElse(stoppedShort.getFirst());
        String others = stoppedShort.size() == 1 ? ""
                : " (" + stoppedShort.size() + " workers or processes stopped short)";
        return Optional.of(first.message() + others);
    }

    @Override
    public String toString() {
        return cause + ": " + message;
    }
}
