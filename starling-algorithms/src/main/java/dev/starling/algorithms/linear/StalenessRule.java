package dev.starling.algorithms.linear;

/**
 * How an asynchronous step treats a stale answer (staleness τ: the query versions published between its query's send
 * and its apply). The default damps: the step size is divided by τ (for τ ≥ 1), the staleness-aware rule of Zhang,
 * Gupta, Lian and Liu, "Staleness-aware Async-SGD for Distributed Deep Learning" (IJCAI 2016); answers staler than
 * {@code discardAbove} are dropped (as bounded-delay schemes do). Immutable.
 *
 * @param damp         whether to divide the step by the staleness
 * @param discardAbove the largest staleness applied; larger is dropped
 */
public record StalenessRule(boolean damp, int discardAbove) {
    /** Damp by staleness, never drop. */
    public static final StalenessRule DAMP = new StalenessRule(true, Integer.MAX_VALUE);
    /** Apply every answer with the full step. */
    public static final StalenessRule NONE = new StalenessRule(false, Integer.MAX_VALUE);

    public StalenessRule {
        if (discardAbove < 0) {
            throw new IllegalArgumentException("discard answers staler than τ ≥ 0, was " + discardAbove);
        }
    }

    /** Drop answers staler than {@code tau}, and apply the others with the full step. */
    public static StalenessRule discardAbove(int tau) {
        return new StalenessRule(false, tau);
    }

    /** The factor of the step for an answer of this staleness: 0 to drop it. */
    public double factor(int staleness) {
        if (staleness > discardAbove) {
            return 0;
        }
        return damp && staleness > 1 ? 1.0 / staleness : 1;
    }
}
