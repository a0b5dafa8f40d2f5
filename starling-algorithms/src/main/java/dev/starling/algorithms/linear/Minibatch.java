package dev.starling.algorithms.linear;

/**
 * How a stochastic method ({@link Sgd}, {@link Saga}) steps: its step size, its minibatch, and its rule for stale
 * answers. Immutable.
 *
 * @param step      the step size, or 0 for the method's default from the data's smoothness
 * @param batch     the minibatch, as a fraction of a worker's share (at least one row)
 * @param staleness how asynchronous steps treat stale answers; null for {@link StalenessRule#DAMP}
 */
public record Minibatch(double step, double batch, StalenessRule staleness) {
    /** An automatic step, minibatches of 1 % of a share, and damping by staleness. */
    public static final Minibatch DEFAULT = new Minibatch(0, 0.01, StalenessRule.DAMP);

    public Minibatch {
        if (!(step >= 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("the step size must be ≥ 0 (0: automatic), was " + step);
        }
        if (!(batch > 0 && batch <= 1)) {
            throw new IllegalArgumentException("the minibatch is a fraction in (0, 1] of a share, was " + batch);
        }
        if (staleness == null) {
            staleness = StalenessRule.DAMP;
        }
    }
}
