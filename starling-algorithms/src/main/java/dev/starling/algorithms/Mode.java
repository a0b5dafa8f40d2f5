package dev.starling.algorithms;

/**
 * How answers turn into queries. Immutable.
 *
 * @param kind      which mode
 * @param parameter the staleness bound {@code s} of {@link Kind#SSP}, the quorum {@code k} of {@link Kind#QUORUM}, or 0
 */
public record Mode(Kind kind, int parameter) {
    /** Every worker answers the same query version, and the central step sees all answers. */
    public static final Mode SYNC = new Mode(Kind.SYNC, 0);
    /** Each answer is applied on arrival, and that worker gets the next query at once. */
    public static final Mode ASYNC = new Mode(Kind.ASYNC, 0);

    /** The kinds of mode. */
    public enum Kind {
        /** See {@link Mode#SYNC}. */
        SYNC,
        /** See {@link Mode#ASYNC}. */
        ASYNC,
        /** See {@link Mode#ssp(int)}. */
        SSP,
        /** See {@link Mode#quorum(int)}. */
        QUORUM
    }

    public Mode {
        if (kind == null) {
            throw new IllegalArgumentException("a mode needs a kind");
        }
        if (parameter < 0 || (kind == Kind.QUORUM && parameter < 1)) {
            throw new IllegalArgumentException(kind == Kind.QUORUM ? "a quorum is at least 1 answer, was " + parameter
                    : "a staleness bound is at least 0, was " + parameter);
        }
    }

    /**
     * Bounded staleness (stale synchronous parallel): answers are applied on arrival as in {@link #ASYNC}, but no
     * worker starts its step {@code c + s + 1} before every worker has finished its step {@code c}; a worker that
     * runs ahead is held back until the slowest catches up. {@code ssp(0)} keeps the workers in lock step; a large
     * {@code s} is asynchronous.
     */
    public static Mode ssp(int s) {
        return new Mode(Kind.SSP, s);
    }

    /**
     * Quorum: the central step runs as soon as {@code k} answers have arrived since the last one (Hoplite's subset
     * reduce, ASYNC's partial barrier), on those answers; workers that answered get the new query at once, and the
     * late answers of the others join a later step with their staleness, for the algorithm to apply or drop. Uses the
     * synchronous central step.
     */
    public static Mode quorum(int k) {
        return new Mode(Kind.QUORUM, k);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SYNC -> "sync";
            case ASYNC -> "async";
            case SSP -> "ssp:" + parameter;
            case QUORUM -> "quorum:" + parameter;
        };
    }
}
