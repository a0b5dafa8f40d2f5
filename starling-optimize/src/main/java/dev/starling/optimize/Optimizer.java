package dev.starling.optimize;

import dev.starling.optimize.internal.RandomForest;
import java.util.OptionalLong;

/**
 * How an optimization proposes configurations: {@link #random()}, {@link #adbo()} (asynchronous decentralized
 * Bayesian optimization: every worker runs its own loop on the shared archive) or {@link #centralized()} (one
 * proposer for all workers, to compare against), and the multi-fidelity {@link #asha(String)} and
 * {@link #hyperband(String)}. The two surrogate-based optimizers are configured the same way, with the withers of
 * {@link SurrogateBased}. Optimizers are immutable values.
 */
public sealed interface Optimizer permits Optimizer.RandomSearch, Optimizer.SurrogateBased,
        Optimizer.SuccessiveHalving {

    /** Random search: each worker samples configurations uniformly, on its own. */
    static RandomSearch random() {
        return new RandomSearch();
    }

    /** ADBO with the defaults of the rush paper and mlr3mbo; see {@link Adbo}. */
    static Adbo adbo() {
        return new Adbo(Surrogate.DEFAULTS);
    }

    /**
     * Centralized asynchronous Bayesian optimization: the caller of the run proposes, with the same surrogate and
     * settings as {@link #adbo()} but a fixed confidence level, and workers only evaluate. Its proposer is a
     * bottleneck by design.
     */
    static Centralized centralized() {
        return new Centralized(Surrogate.DEFAULTS);
    }

    /**
     * Asynchronous successive halving (ASHA, Li et al., MLSys 2020) over the fidelity parameter {@code fidelity}
     * (e.g. boosting rounds), with reduction factor 3. See {@link SuccessiveHalving}.
     */
    static SuccessiveHalving asha(String fidelity) {
        return new SuccessiveHalving(fidelity, 3, false);
    }

    /**
     * Asynchronous Hyperband over {@code fidelity}, with reduction factor 3: ASHA in every bracket, each new
     * configuration drawn into a bracket with Hyperband's weights. See {@link SuccessiveHalving}.
     */
    static SuccessiveHalving hyperband(String fidelity) {
        return new SuccessiveHalving(fidelity, 3, true);
    }

    /** The optimizer's name on the command line: random, adbo, cbo, asha or hyperband. */
    String name();

    /** See {@link Optimizer#random()}. */
    record RandomSearch() implements Optimizer {
        @Override
        public String name() {
            return "random";
        }
    }

    /** How the initial design is drawn. */
    enum Design {
        /** A scrambled Sobol sequence (the default). */
        SOBOL,
        /** A Latin hypercube. */
        LHS,
        /** Uniformly at random. */
        RANDOM
    }

    /**
     * The settings of a surrogate search. An initial design is spread over the workers through the queue; then each
     * proposal fits a random forest on the whole archive — with pending evaluations imputed uniformly between the
     * observed minimum and maximum, and the losses replaced by the normal scores of their ranks — and proposes the
     * configuration that minimizes the lower confidence bound {@code mean - lambda * sd} among {@code candidates}
     * random configurations, refined by an iterated local search (Gaussian steps, halving in spread each round) from
     * the best candidates and the best evaluated configurations, never proposing one already evaluated or pending.
     *
     * <p>The default initial design fits the budget and the dimension d: {@code max(5, min(2·d, B/4))}
     * configurations for an evaluation budget B (never more than B), {@code max(5, 2·d)} without one. 2·d is Ax's
     * (DeepHyper's CBO takes 2·d + 1), the quarter of the budget SMAC3's cap ({@code max_ratio = 0.25}), the floor
     * of 5 Ax's. Measured here (15-30 seeds, 4 workers, 40-400 evaluations, 2-10 dimensions), designs of d + 1 to
     * 2·d were as good as or better than 4·d (mlr3mbo's synchronous default) in nearly every case — Ackley-10 at
     * 200 evaluations: median regret 8.4 with 20, 14.1 with 40 — and every one of them beat random search; the old
     * fixed 100 was no better than random search at 80 evaluations, because ADBO never left the design.
     *
     * @param initialDesign the number of configurations in the initial design, or {@link #AUTOMATIC} for the rule
     *                      above
     * @param design        how the initial design is drawn
     * @param candidates    random candidates scored per proposal
     * @param localSearch   points scored by the local search per proposal; 0 for none
     * @param lambdaMean    the mean of the exponential distribution of ADBO's per-worker lambda0; the centralized
     *                      optimizer uses it as its fixed lambda
     * @param decayRate     the rate of lambda's periodic decay (ADBO)
     * @param decayPeriod   the period of lambda's decay, in proposals (ADBO)
     * @param trees         trees in the random forest
     */
    record Surrogate(int initialDesign, Design design, int candidates, int localSearch, double lambdaMean,
                     double decayRate, int decayPeriod, int trees) {
        /** The initial design size that means "fit it to the budget and the dimension". */
        public static final int AUTOMATIC = -1;
        static final Surrogate DEFAULTS = new Surrogate(AUTOMATIC, Design.SOBOL, 10_000, 1_000, 1.96, 0.1, 25,
                RandomForest.Settings.defaults().trees());

        public Surrogate {
            if (initialDesign != AUTOMATIC) {
                atLeast("initialDesign", initialDesign, 0);
            }
            if (design == null) {
                throw new IllegalArgumentException("design must be SOBOL, LHS or RANDOM, was null");
            }
            atLeast("candidates", candidates, 1);
            atLeast("localSearch", localSearch, 0);
            if (!(lambdaMean > 0) || !(decayRate >= 0)) {
                throw new IllegalArgumentException("lambdaMean must be positive and decayRate zero or more, were "
                        + lambdaMean + " and " + decayRate);
            }
            atLeast("decayPeriod", decayPeriod, 1);
            atLeast("trees", trees, 1);
        }

        private static void atLeast(String name, int value, int least) {
            if (value < least) {
                throw new IllegalArgumentException(name + " must be at least " + least + ", was " + value);
            }
        }

        /** The size of the initial design for a space of {@code dimension} and an evaluation {@code budget}. */
        public int initialDesignSize(int dimension, OptionalLong budget) {
            long b = budget.orElse(Long.MAX_VALUE);
            if (initialDesign != AUTOMATIC) {
                return (int) Math.min(initialDesign, b);
            }
            long size = Math.max(5, budget.isPresent() ? Math.min(2L * dimension, b / 4) : 2L * dimension);
            return (int) Math.min(size, b);
        }
    }

    /**
     * An optimizer driven by a surrogate model, configured with the same withers whichever it is.
     *
     * @param <T> the optimizer's own type
     */
    sealed interface SurrogateBased<T extends SurrogateBased<T>> extends Optimizer permits Adbo, Centralized {
        /** The surrogate search's settings. */
        Surrogate settings();

        /** This optimizer with {@code settings}. */
        T withSettings(Surrogate settings);

        /** With an initial design of {@code n} configurations ({@link Surrogate#AUTOMATIC} for the default rule). */
        default T withInitialDesign(int n) {
            Surrogate s = settings();
            return withSettings(new Surrogate(n, s.design(), s.candidates(), s.localSearch(), s.lambdaMean(),
                    s.decayRate(), s.decayPeriod(), s.trees()));
        }

        /** With the initial design drawn by {@code kind}. */
        default T withDesign(Design kind) {
            Surrogate s = settings();
            return withSettings(new Surrogate(s.initialDesign(), kind, s.candidates(), s.localSearch(),
                    s.lambdaMean(), s.decayRate(), s.decayPeriod(), s.trees()));
        }

        /** Scoring {@code n} random candidates per proposal. */
        default T withCandidates(int n) {
            Surrogate s = settings();
            return withSettings(new Surrogate(s.initialDesign(), s.design(), n, s.localSearch(), s.lambdaMean(),
                    s.decayRate(), s.decayPeriod(), s.trees()));
        }

        /** With {@code n} local-search candidates per proposal (0 turns local search off). */
        default T withLocalSearch(int n) {
            Surrogate s = settings();
            return withSettings(new Surrogate(s.initialDesign(), s.design(), s.candidates(), n, s.lambdaMean(),
                    s.decayRate(), s.decayPeriod(), s.trees()));
        }

        /** With lambda (ADBO: the mean of lambda0's exponential distribution) {@code mean}. */
        default T withLambdaMean(double mean) {
            Surrogate s = settings();
            return withSettings(new Surrogate(s.initialDesign(), s.design(), s.candidates(), s.localSearch(), mean,
                    s.decayRate(), s.decayPeriod(), s.trees()));
        }

        /** With lambda decaying at {@code rate} over periods of {@code period} proposals (ADBO). */
        default T withDecay(double rate, int period) {
            Surrogate s = settings();
            return withSettings(new Surrogate(s.initialDesign(), s.design(), s.candidates(), s.localSearch(),
                    s.lambdaMean(), rate, period, s.trees()));
        }

        /** With {@code n} trees in the random forest. */
        default T withTrees(int n) {
            Surrogate s = settings();
            return withSettings(new Surrogate(s.initialDesign(), s.design(), s.candidates(), s.localSearch(),
                    s.lambdaMean(), s.decayRate(), s.decayPeriod(), n));
        }
    }

    /**
     * Asynchronous decentralized Bayesian optimization: every worker runs the surrogate search of {@link Surrogate}
     * on its own, on the shared archive. Each worker draws {@code lambda0} once from an exponential distribution with
     * mean {@code lambdaMean}; its t-th proposal uses {@code lambda0 * exp(-decayRate * (t mod decayPeriod))}.
     *
     * @param settings the surrogate search's settings
     */
    record Adbo(Surrogate settings) implements SurrogateBased<Adbo> {
        public Adbo {
            java.util.Objects.requireNonNull(settings, "settings");
        }

        @Override
        public String name() {
            return "adbo";
        }

        @Override
        public Adbo withSettings(Surrogate settings) {
            return new Adbo(settings);
        }
    }

    /**
     * See {@link Optimizer#centralized()}.
     *
     * @param settings the surrogate search's settings; lambda is fixed at {@code lambdaMean}
     */
    record Centralized(Surrogate settings) implements SurrogateBased<Centralized> {
        public Centralized {
            java.util.Objects.requireNonNull(settings, "settings");
        }

        @Override
        public String name() {
            return "cbo";
        }

        @Override
        public Centralized withSettings(Surrogate settings) {
            return new Centralized(settings);
        }
    }

    /**
     * Multi-fidelity search by asynchronous successive halving, decentralized: every worker decides on its own, from
     * the shared archive and the pending evaluations, what to evaluate next. The fidelity is a numeric parameter of
     * the space with a positive lower bound {@code r}; its rungs are {@code r, r·eta, r·eta², …} up to its upper
     * bound (rounded for an integer parameter). A worker looks at the rungs from the top down and promotes the best
     * configuration of a rung that is in its top {@code 1/eta} (of all its evaluations, failed ones counting as the
     * worst) and not yet at the next rung; when there is none, it samples a new configuration at the lowest rung
     * (ASHA's rule). With {@code hyperband}, a new configuration starts at rung s with the weight of Hyperband's
     * bracket s, and promotions compare only configurations that started at the same rung.
     *
     * <p>Two workers that read the archive at the same moment may promote the same configuration; the second
     * evaluation is then spent twice. The window is one proposal long.
     *
     * @param fidelity  the name of the fidelity parameter
     * @param eta       the reduction factor, above 1
     * @param hyperband whether configurations start in every bracket (Hyperband) or only at the lowest rung (ASHA)
     */
    record SuccessiveHalving(String fidelity, double eta, boolean hyperband) implements Optimizer {
        public SuccessiveHalving {
            if (fidelity == null || fidelity.isBlank()) {
                throw new IllegalArgumentException("successive halving needs the name of its fidelity parameter");
            }
            if (!(eta > 1)) {
                throw new IllegalArgumentException("the reduction factor eta must be above 1, was " + eta);
            }
        }

        /** With reduction factor {@code eta}. */
        public SuccessiveHalving withEta(double eta) {
            return new SuccessiveHalving(fidelity, eta, hyperband);
        }

        @Override
        public String name() {
            return hyperband ? "hyperband" : "asha";
        }
    }
}
