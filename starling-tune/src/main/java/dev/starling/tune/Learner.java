package dev.starling.tune;

import dev.starling.optimize.Parameter;
import dev.starling.optimize.SearchSpace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A gradient-boosting learner for binary classification, trained single-threaded and deterministically for a given
 * seed. Each has a default search space: the rush paper's (learning rate on a log scale, boosting rounds, leaves or
 * depth, minimum child weight, row and column subsampling, L1 and L2 regularisation) in the learner's own parameter
 * names, with bounds narrowed to what this kind of machine trains in about a second per fold (at most 500 rounds,
 * depth 12, 256 leaves). Configurations use the learner's own parameter names; the rounds are
 * {@code num_boost_round} (XGBoost) or {@code num_iterations} (LightGBM), 100 when absent. Thread-safe.
 */
public enum Learner {
    /** XGBoost 3.4 ({@code binary:logistic}, the {@code hist} tree method). */
    XGBOOST("xgboost", Xgboost.ROUNDS, Map.of("eta", 0.3, Xgboost.ROUNDS, 100, "max_depth", 6, "min_child_weight",
            1.0, "subsample", 1.0, "colsample_bytree", 1.0, "alpha", 0.0, "lambda", 1.0),
            Set.of("eta", "learning_rate", "gamma", "min_split_loss", "max_depth", "min_child_weight",
                    "max_delta_step", "subsample", "sampling_method", "colsample_bytree", "colsample_bylevel",
                    "colsample_bynode", "lambda", "reg_lambda", "alpha", "reg_alpha", "tree_method",
                    "scale_pos_weight", "grow_policy", "max_leaves", "max_bin", "num_parallel_tree", "booster",
                    "base_score", "max_cat_to_onehot", "rate_drop", "skip_drop", "one_drop", "sample_type",
                    "normalize_type", Xgboost.ROUNDS)),
    /** LightGBM 3.3 (the {@code binary} objective); the rush paper's learner. */
    LIGHTGBM("lightgbm", Lightgbm.ROUNDS, Map.of("learning_rate", 0.1, Lightgbm.ROUNDS, 100, "num_leaves", 31,
            "min_sum_hessian_in_leaf", 1e-3, "bagging_fraction", 1.0, "feature_fraction", 1.0, "lambda_l1", 0.0,
            "lambda_l2", 0.0),
            Set.of("learning_rate", "num_leaves", "max_depth", "min_data_in_leaf", "min_sum_hessian_in_leaf",
                    "bagging_fraction", "bagging_freq", "feature_fraction", "feature_fraction_bynode", "lambda_l1",
                    "lambda_l2", "min_gain_to_split", "max_bin", "extra_trees", "path_smooth", "max_delta_step",
                    "boosting", "scale_pos_weight", "drop_rate", "skip_drop", "max_drop", "top_rate", "other_rate",
                    "min_data_per_group", "cat_smooth", "linear_tree", Lightgbm.ROUNDS));

    private static final int DEFAULT_ROUNDS = 100;
    private final String label;
    private final String rounds;
    private final Map<String, Object> defaults;
    private final Set<String> known;

    Learner(String label, String rounds, Map<String, Object> defaults, Set<String> known) {
        this.label = label;
        this.rounds = rounds;
        this.defaults = defaults;
        this.known = known;
    }

    /** The learner's name on the command line: xgboost or lightgbm. */
    public String label() {
        return label;
    }

    /**
     * The learner named {@code label} (any case).
     *
     * @throws IllegalArgumentException naming the known learners
     */
    public static Learner named(String label) {
        for (Learner l : values()) {
            if (l.label.equals(label.toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown learner '" + label + "'; known: xgboost, lightgbm");
    }

    /** The name of the parameter that sets the number of boosting rounds. */
    public String roundsParameter() {
        return rounds;
    }

    /**
     * The learner's own default configuration (its library's defaults, 100 rounds), to compare tuning against;
     * a new sorted map, which the caller may change.
     */
    public Map<String, Object> defaults() {
        return new java.util.TreeMap<>(defaults);
    }

    /** The default search space, described in the class comment; {@link SearchSpace#toJson()} shows it. */
    public SearchSpace space() {
        String resource = label + "-space.json";
        try (InputStream in = Learner.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the search space " + resource + " is missing from starling-tune");
            }
            return SearchSpace.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks that every parameter of {@code space} is one this learner takes, so that a typo fails before a run
     * rather than being ignored by the native library.
     *
     * @throws IllegalArgumentException naming the unknown parameters and the known ones
     */
    public void check(SearchSpace space) {
        check(space.parameters().stream().map(Parameter::name).toList());
    }

    /**
     * Checks that every name in {@code names} is a parameter this learner takes.
     *
     * @throws IllegalArgumentException naming the unknown parameters and the known ones
     */
    public void check(Collection<String> names) {
        List<String> unknown = names.stream().filter(n -> !known.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(label + " has no parameter " + String.join(", ", unknown)
                    + "; it takes " + String.join(", ", new TreeSet<>(known)));
        }
    }

    /** Whether a fit can continue an earlier fit of the same configuration with fewer rounds (XGBoost can). */
    public boolean continuesTraining() {
        return this == XGBOOST;
    }

    /**
     * Trains on the split's training rows and returns the probability of label 1 for each test row.
     *
     * @param boosters where XGBoost keeps its boosters to continue from, or null to train afresh each time
     * @param fold     the split's fold, which keys the kept boosters
     */
    double[] fitPredict(Split split, Map<String, Object> config, long seed, Boosters boosters, int fold)
            throws Exception {
        return switch (this) {
            case XGBOOST -> Xgboost.fitPredict(split, config, seed, boosters, fold);
            case LIGHTGBM -> Lightgbm.fitPredict(split, config, seed);
        };
    }

    /** The number of rounds in {@code value}: a positive whole number, or the default when absent. */
    static int rounds(Object value, String name) {
        if (value == null) {
            return DEFAULT_ROUNDS;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 1) {
            throw new LearnerException(name + " must be a whole number of rounds, at least 1; was " + value);
        }
        return n.intValue();
    }
}
