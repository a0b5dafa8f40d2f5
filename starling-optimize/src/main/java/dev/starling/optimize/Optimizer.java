package dev.starling.optimize;

import dev.starling.optimize.internal.RandomForest;
import java.util.List;

/**
 * How an optimization proposes configurations: {@link #random()}, {@link #adbo()} (asynchronous decentralized
 * Bayesian optimization: every worker runs its own loop on the shared archive) or {@link #centralized()} (one
 * proposer for all workers, to compare against). Optimizers are immutable values.
 */
public sealed interface Optimizer {

    /** Random search: each worker samples configurations uniformly, on its own. */
    static RandomSearch random() {
        return new RandomSearch();
    }

    /** ADBO with the defaults of the rush paper and mlr3mbo; see {@link Adbo}. */
    static Adbo adbo() {
        return Adbo.DEFAULTS;
    }

    /**
     * Centralized asynchronous Bayesian optimization: the caller of the run proposes, with the same surrogate and
     * settings as {@link #adbo()} but a fixed confidence level, and workers only evaluate. Its proposer is a
     * bottleneck by design.
     */
    static Centralized centralized() {
        return new Centralized(Adbo.DEFAULTS);
    }

    /** The optimizer's name on the command line: random, adbo or cbo. */
    String name();

    /** See {@link Optimizer#random()}. */
    record RandomSearch() implements Optimizer {
        @Override
        public String name() {
            return "random";
        }
    }

    /** See {@link Optimizer#centralized()}; {@code settings} are those of the surrogate search. */
    record Centralized(Adbo settings) implements Optimizer {
        @Override
        public String name() {
            return "cbo";
        }
    }

    /**
     * Asynchronous decentralized Bayesian optimization. An initial design (Sobol by default) is spread over the
     * workers through the queue; then each worker, on every proposal, fits its own random forest on the whole archive
     * — with the other workers' pending evaluations imputed uniformly between the observed minimum and maximum, and
     * the losses replaced by the normal scores of their ranks — and proposes the configuration that minimizes the
     * lower confidence bound {@code mean - lambda * sd} among {@code candidates} random configurations, refined by an
     * iterated local search (Gaussian steps, halving in spread each round) from the best candidates and the best
     * evaluated configurations, never proposing one already evaluated or pending. Each worker draws {@code lambda0}
     * once from an exponential distribution with mean {@code lambdaMean}; its t-th proposal uses
     * {@code lambda0 * exp(-decayRate * (t mod decayPeriod))}.
     *
     * @param initialDesign the number of configurations in the initial design
     * @param design        how the initial design is drawn: sobol, lhs (Latin hypercube) or random
     * @param candidates    random candidates scored per proposal
     * @param localSearch   points scored by the local search per proposal; 0 for none
     * @param lambdaMean    the mean of the exponential distribution of lambda0
     * @param decayRate     the rate of lambda's periodic decay
     * @param decayPeriod   the period of lambda's decay, in proposals
     * @param trees         trees in the random forest
     */
    record Adbo(int initialDesign, String design, int candidates, int localSearch, double lambdaMean,
                double decayRate, int decayPeriod, int trees) implements Optimizer {
        static final Adbo DEFAULTS = new Adbo(100, "sobol", 10_000, 1_000, 1.96, 0.1, 25,
                RandomForest.Settings.defaults().trees());

        public Adbo {
            positive("initialDesign", initialDesign, 0);
            if (!List.of("sobol", "lhs", "random").contains(design)) {
                throw new IllegalArgumentException("design must be sobol, lhs or random, was '" + design + "'");
            }
            positive("candidates", candidates, 1);
            positive("localSearch", localSearch, 0);
            if (!(lambdaMean > 0) || !(decayRate >= 0)) {
                throw new IllegalArgumentException("lambdaMean must be positive and decayRate zero or more, were "
                        + lambdaMean + " and " + decayRate);
            }
            positive("decayPeriod", decayPeriod, 1);
            positive("trees", trees, 1);
        }

        private static void positive(String name, int value, int least) {
            if (value < least) {
                throw new IllegalArgumentException(name + " must be at least " + least + ", was " + value);
            }
        }

        @Override
        public String name() {
            return "adbo";
        }

        /** With an initial design of {@code n} configurations. */
        public Adbo withInitialDesign(int n) {
            return new Adbo(n, design, candidates, localSearch, lambdaMean, decayRate, decayPeriod, trees);
        }

        /** With the initial design drawn by {@code kind}: sobol, lhs or random. */
        public Adbo withDesign(String kind) {
            return new Adbo(initialDesign, kind, candidates, localSearch, lambdaMean, decayRate, decayPeriod, trees);
        }

        /** Scoring {@code n} random candidates per proposal. */
        public Adbo withCandidates(int n) {
            return new Adbo(initialDesign, design, n, localSearch, lambdaMean, decayRate, decayPeriod, trees);
        }

        /** With {@code n} local-search candidates per proposal (0 turns local search off). */
        public Adbo withLocalSearch(int n) {
            return new Adbo(initialDesign, design, candidates, n, lambdaMean, decayRate, decayPeriod, trees);
        }

        /** With lambda0 drawn from an exponential distribution of mean {@code mean}. */
        public Adbo withLambdaMean(double mean) {
            return new Adbo(initialDesign, design, candidates, localSearch, mean, decayRate, decayPeriod, trees);
        }

        /** With lambda decaying at {@code rate} over periods of {@code period} proposals. */
        public Adbo withDecay(double rate, int period) {
            return new Adbo(initialDesign, design, candidates, localSearch, lambdaMean, rate, period, trees);
        }

        /** With {@code n} trees in the random forest. */
        public Adbo withTrees(int n) {
            return new Adbo(initialDesign, design, candidates, localSearch, lambdaMean, decayRate, decayPeriod, n);
        }
    }
}
