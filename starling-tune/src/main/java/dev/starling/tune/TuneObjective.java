package dev.starling.tune;

import dev.starling.data.Datasets;
import dev.starling.data.Table;
import dev.starling.optimize.Objective;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The cross-validated score of a learner on a data set, as an optimization's objective. Each evaluation trains one
 * model per fold and returns, for every {@link Metric}, its mean over the folds under the metric's name ({@code auc},
 * {@code logloss}, {@code accuracy}, {@code error}) and its per-fold values under the name with {@code _folds}
 * appended (an evaluation's details), plus {@code time}, the seconds the cross-validation took (an outcome for
 * trading score against cost). A learner that rejects a configuration fails that evaluation; the optimization goes
 * on.
 *
 * <p>Worker processes rebuild it from its {@link Settings}: each loads the data set once (named sets from the local
 * cache, fetched on first use) and builds the same folds. Thread-safe: every worker of a JVM shares one instance.
 *
 * <pre>{@code
 * TuneObjective objective = new TuneObjective(new TuneObjective.Settings("xgboost", "credit-g", null, 10, 42));
 * Optimization.on(network).space(objective.learner().space()).objective(objective)
 *         .outcomes(Metric.AUC.outcome()).terminator(Terminator.evaluations(100)).workers(2).run();
 * }</pre>
 */
public final class TuneObjective implements Objective.Configured<TuneObjective.Settings> {
    /** The outcome holding the seconds one cross-validation took. */
    public static final String TIME = "time";
    /** What is appended to a metric's name for its per-fold values. */
    public static final String FOLDS = "_folds";

    private final Settings settings;
    private final Learner learner;
    private final CrossValidation validation;

    /**
     * What the objective is built from; plain values, so that they travel to worker processes as JSON.
     *
     * @param learner the learner's name, xgboost or lightgbm
     * @param data    a named data set ({@code credit-g}, {@code diabetes}, {@code flights}) or a file
     * @param target  the target spec ({@code COL}, {@code COL=LEVEL}, {@code COL>N}, {@code COL<N}), or null for a
     *                named set's default
     * @param folds   the number of cross-validation folds, at least 2
     * @param seed    the seed of the folds and of the learner
     * @param continueTraining whether an evaluation continues the fits of the same configuration with fewer rounds
     *                (XGBoost only; see {@link CrossValidation#continuingTraining})
     */
    public record Settings(String learner, String data, String target, int folds, long seed,
                           boolean continueTraining) {
        public Settings {
            Learner chosen = Learner.named(Objects.requireNonNull(learner, "learner"));
            Objects.requireNonNull(data, "data");
            if (folds < 2) {
                throw new IllegalArgumentException("cross-validation needs at least 2 folds, was " + folds);
            }
            if (continueTraining && !chosen.continuesTraining()) {
                throw new IllegalArgumentException(chosen.label() + " cannot continue training here; only xgboost"
                        + " can: leave out --continue-training");
            }
        }

        /** Settings that train every fit afresh. */
        public Settings(String learner, String data, String target, int folds, long seed) {
            this(learner, data, target, folds, seed, false);
        }
    }

    /**
     * The boosters kept per worker process with {@link Settings#continueTraining}: those of about 20
     * configurations over 10 folds.
     */
    static final int KEPT_BOOSTERS = 200;

    /**
     * Loads the data set and builds the folds.
     *
     * @throws IllegalArgumentException for an unknown learner, data set, file or target, a target that is not
     *                                  binary, or too many folds for a class
     * @throws IllegalStateException    when a named data set is not cached and cannot be fetched
     */
    public TuneObjective(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.learner = Learner.named(settings.learner());
        Table table = settings.target() == null ? Datasets.load(settings.data())
                : Datasets.load(settings.data(), settings.target());
        CrossValidation validation = CrossValidation.of(table, settings.folds(), settings.seed());
        this.validation = settings.continueTraining() ? validation.continuingTraining(KEPT_BOOSTERS) : validation;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    /** The learner. */
    public Learner learner() {
        return learner;
    }

    /** The cross-validation, for scoring a configuration outside an optimization. */
    public CrossValidation validation() {
        return validation;
    }

    @Override
    public Map<String, Object> evaluate(Map<String, Object> config) throws Exception {
        long start = System.nanoTime();
        CrossValidation.Result result = validation.evaluate(learner, config);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> outcomes = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            outcomes.put(m.label(), result.mean(m));
        }
        outcomes.put(TIME, seconds);
        for (Metric m : Metric.values()) {
            outcomes.put(m.label() + FOLDS, Arrays.stream(result.folds(m)).boxed().toList());
        }
        return outcomes;
    }

    @Override
    public String toString() {
        return learner.label() + " on " + settings.data() + " (" + validation + ")";
    }
}
