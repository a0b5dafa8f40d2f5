package dev.starling.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Network;
import dev.starling.Store;
import dev.starling.TaskState;
import dev.starling.optimize.Evaluation;
import dev.starling.optimize.Optimization;
import dev.starling.optimize.OptimizationResult;
import dev.starling.optimize.Optimizer;
import dev.starling.optimize.SearchSpace;
import dev.starling.optimize.Terminator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The objective inside real optimizations on the memory store, with worker threads. */
@Timeout(120)
class TuneObjectiveTest {
    @TempDir
    Path dir;

    private TuneObjective objective(String learner) {
        return new TuneObjective(new TuneObjective.Settings(learner, Generated.csv(dir, 300, 11).toString(),
                "label=yes", 3, 5));
    }

    @Test
    void optimization_recordsEveryMetric_itsFolds_andTheTime() throws Exception {
        TuneObjective objective = objective("xgboost");
        SearchSpace space = SearchSpace.builder().logReal("eta", 0.05, 0.5).integer("num_boost_round", 5, 30)
                .integer("max_depth", 1, 4).build();
        try (Store store = Store.memory()) {
            OptimizationResult result = Optimization.on(Network.builder(store, "tune").create())
                    .space(space).objective(objective).outcomes(Metric.AUC.outcome())
                    .optimizer(Optimizer.random()).terminator(Terminator.evaluations(6)).workers(2).run();

            assertThat(result.archive().finished()).hasSize(6).allSatisfy(e -> {
                assertThat(e.outcomes()).containsKeys("auc", "logloss", "accuracy", "error", "time");
                assertThat(e.details().get("auc_folds")).hasSize(3);
                assertThat(e.details().get("auc_folds").stream().mapToDouble(Double::doubleValue).average()
                        .orElseThrow()).isCloseTo(e.outcomes().get("auc"), org.assertj.core.api.Assertions
                        .within(1e-12));
            });
            assertThat(result.bestValue()).isGreaterThan(0.75);
        }
    }

    @Test
    void learnerFailure_becomesAFailedEvaluation_andTheRunGoesOn() throws Exception {
        TuneObjective objective = objective("lightgbm");
        // num_leaves 1 is refused by LightGBM; 2 to 4 train.
        SearchSpace space = SearchSpace.builder().integer("num_leaves", 1, 4).integer("num_iterations", 5, 10)
                .build();
        try (Store store = Store.memory()) {
            OptimizationResult result = Optimization.on(Network.builder(store, "fail").seed(3).create())
                    .space(space).objective(objective).outcomes(Metric.AUC.outcome())
                    .optimizer(Optimizer.random()).terminator(Terminator.evaluations(24)).workers(2).run();

            List<Evaluation> all = result.archive().evaluations();
            assertThat(all).hasSize(24);
            assertThat(all).allSatisfy(e -> {
                boolean refused = (Integer) e.config().get("num_leaves") == 1;
                assertThat(e.state()).isEqualTo(refused ? TaskState.FAILED : TaskState.FINISHED);
                if (refused) {
                    assertThat(e.error().type()).isEqualTo(LearnerException.class.getName());
                    assertThat(e.error().message()).contains("LightGBM failed").contains("num_leaves");
                }
            });
            assertThat(all).anyMatch(e -> e.state() == TaskState.FAILED);
        }
    }

    @Test
    void settings_rebuildAnObjectiveThatScoresTheSame() throws Exception {
        TuneObjective objective = objective("xgboost");
        TuneObjective rebuilt = new TuneObjective(objective.settings());
        var config = Learner.XGBOOST.defaults();
        config.put("num_boost_round", 10);

        assertThat(rebuilt.evaluate(config).get("auc_folds")).isEqualTo(objective.evaluate(config).get("auc_folds"));
    }
}
