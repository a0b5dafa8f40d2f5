package dev.starling.algorithms;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * When an iteration stops, judged after each central step, and every 100 ms while no answer comes; combine with
 * {@link #or}. Immutable.
 */
@FunctionalInterface
public interface Stop {

    /** Whether to stop, given the history so far. */
    boolean test(History history);

    /** After {@code n} central steps, exactly. */
    static Stop iterations(long n) {
        return h -> h.iterations() >= n;
    }

    /** Once every worker has answered at least {@code e} times, exactly. */
    static Stop epochs(long e) {
        return h -> h.epochs() >= e;
    }

    /**
     * Once {@code limit} has passed since the run began, within one central step, or within 100 ms while the run
     * waits for answers (e.g. for a lost worker's replacement).
     */
    static Stop time(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        return h -> h.seconds() >= limit.toNanos() / 1e9;
    }

    /** Once the algorithm's metric is at most {@code epsilon}. */
    static Stop metric(double epsilon) {
        return h -> h.last().map(s -> s.metric() <= epsilon).orElse(false);
    }

    /** Once {@code predicate} holds for the history. */
    static Stop when(Predicate<History> predicate) {
        return predicate::test;
    }

    /** Stops when this or {@code other} says so. */
    default Stop or(Stop other) {
        return h -> test(h) || other.test(h);
    }
}
