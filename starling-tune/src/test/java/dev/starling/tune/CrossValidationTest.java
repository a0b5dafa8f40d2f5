package dev.starling.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.data.Datasets;
import dev.starling.data.Table;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Cross-validation with both real learners (their native libraries) on generated data read by the real loader. */
class CrossValidationTest {
    @TempDir
    static Path dir;
    private static Table table;

    @BeforeAll
    static void data() {
        table = Datasets.load(Generated.csv(dir, 600, 7).toString(), "label=yes");
    }

    private static Map<String, Object> quick(Learner learner) {
        Map<String, Object> config = new HashMap<>(learner.defaults());
        config.put(learner.roundsParameter(), 30);
        return config;
    }

    @ParameterizedTest
    @EnumSource(Learner.class)
    void learner_learnsTheSignal_onEveryFold(Learner learner) throws Exception {
        CrossValidation.Result result = CrossValidation.of(table, 5, 1).evaluate(learner, quick(learner));

        assertThat(result.folds(Metric.AUC)).hasSize(5);
        assertThat(java.util.Arrays.stream(result.folds(Metric.AUC)).min().orElseThrow()).isGreaterThan(0.75);
        assertThat(result.mean(Metric.ACCURACY) + result.mean(Metric.ERROR)).isEqualTo(1.0);
        assertThat(result.mean(Metric.LOG_LOSS)).isBetween(0.0, Math.log(2));
    }

    @ParameterizedTest
    @EnumSource(Learner.class)
    void sameSeed_scoresTheSame_andAnotherSeedSplitsOtherwise(Learner learner) throws Exception {
        double[] first = CrossValidation.of(table, 5, 3).evaluate(learner, quick(learner)).folds(Metric.AUC);
        double[] again = CrossValidation.of(table, 5, 3).evaluate(learner, quick(learner)).folds(Metric.AUC);
        double[] other = CrossValidation.of(table, 5, 4).evaluate(learner, quick(learner)).folds(Metric.AUC);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void continuingTraining_fromFewerRounds_scoresAsTrainingAfreshDoes_andKeepsOneBoosterPerFold() throws Exception {
        // Default sampling (none), so the continued rounds are the same as a fresh fit's.
        CrossValidation continuing = CrossValidation.of(table, 5, 2).continuingTraining(100);
        Map<String, Object> config = quick(Learner.XGBOOST);
        config.put("num_boost_round", 10);
        continuing.evaluate(Learner.XGBOOST, config);
        assertThat(continuing.kept()).isEqualTo(5);
        config.put("num_boost_round", 40);

        double[] continued = continuing.evaluate(Learner.XGBOOST, config).folds(Metric.LOG_LOSS);
        double[] afresh = CrossValidation.of(table, 5, 2).evaluate(Learner.XGBOOST, config).folds(Metric.LOG_LOSS);

        assertThat(continued).containsExactly(afresh, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(continuing.kept()).isEqualTo(5);
        // Another configuration starts afresh and is kept beside the first.
        config.put("max_depth", 2);
        continuing.evaluate(Learner.XGBOOST, config);
        assertThat(continuing.kept()).isEqualTo(10);
    }

    @Test
    void continuingTraining_keepsNoMoreBoostersThanItsCapacity_andLightgbmNone() throws Exception {
        CrossValidation small = CrossValidation.of(table, 5, 2).continuingTraining(3);
        small.evaluate(Learner.XGBOOST, quick(Learner.XGBOOST));
        assertThat(small.kept()).isEqualTo(3);
        small.evaluate(Learner.LIGHTGBM, quick(Learner.LIGHTGBM));
        assertThat(small.kept()).isEqualTo(3);

        assertThatThrownBy(() -> new TuneObjective.Settings("lightgbm", "credit-g", null, 5, 1, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lightgbm cannot continue training");
    }

    /**
     * The real credit-g (fetched once into the cache). When it cannot be fetched, the test says why and runs on the
     * generated data instead.
     */
    @Test
    void creditG_defaultsOfBothLearners_scoreAPlausibleAuc() throws Exception {
        Table data;
        double low;
        try {
            data = Datasets.load("credit-g");
            low = 0.72; // credit-g's gradient-boosting AUCs are about 0.75-0.80
        } catch (IllegalStateException e) {
            System.err.println("credit-g could not be fetched (" + e.getMessage() + "); using generated data");
            data = table;
            low = 0.75;
        }
        CrossValidation cv = CrossValidation.of(data, 5, 1);
        for (Learner learner : Learner.values()) {
            double auc = cv.evaluate(learner, learner.defaults()).mean(Metric.AUC);
            assertThat(auc).as(learner + " on " + data.name()).isBetween(low, 0.95);
        }
    }

    @Test
    void rejectedConfigurations_areExceptionsThatSayWhy() {
        CrossValidation cv = CrossValidation.of(table, 3, 1);
        Map<String, Object> xgboost = quick(Learner.XGBOOST);
        xgboost.put("subsample", 1.5);
        assertThatThrownBy(() -> cv.evaluate(Learner.XGBOOST, xgboost)).hasMessageContaining("subsample");

        Map<String, Object> lightgbm = quick(Learner.LIGHTGBM);
        lightgbm.put("num_leaves", 1);
        assertThatThrownBy(() -> cv.evaluate(Learner.LIGHTGBM, lightgbm)).isInstanceOf(LearnerException.class)
                .hasMessageContaining("num_leaves");

        Map<String, Object> noRounds = quick(Learner.XGBOOST);
        noRounds.put("num_boost_round", 0);
        assertThatThrownBy(() -> cv.evaluate(Learner.XGBOOST, noRounds)).isInstanceOf(LearnerException.class)
                .hasMessageContaining("num_boost_round must be a whole number of rounds");
    }

    @Test
    void nonBinaryTarget_isAClearError() {
        Table numeric = Datasets.load(Generated.csv(dir, 50, 1).toString(), "x1");
        assertThatThrownBy(() -> CrossValidation.of(numeric, 3, 1)).hasMessageContaining("binary target")
                .hasMessageContaining("COL=LEVEL");
    }

    @Test
    void spaces_useTheLearnersOwnNames_andTyposAreCaught() {
        for (Learner learner : Learner.values()) {
            learner.check(learner.space());
            assertThat(learner.space().dimension()).isEqualTo(8);
            assertThat(learner.space().parameters()).anyMatch(p -> p.name().equals(learner.roundsParameter()));
        }
        assertThatThrownBy(() -> Learner.XGBOOST.check(Learner.LIGHTGBM.space()))
                .hasMessageContaining("xgboost has no parameter").hasMessageContaining("num_iterations")
                .hasMessageContaining("it takes alpha");
        assertThatThrownBy(() -> Learner.named("catboost")).hasMessageContaining("xgboost, lightgbm");
    }
}
