package dev.starling.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Network;
import dev.starling.Store;
import dev.starling.TaskState;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Replays of recorded evaluations, and optimizations simulated in virtual time against them. */
@Timeout(120)
class ReplayTest {
    private static final SearchSpace SPACE = SearchSpace.builder().real("x", 0, 1).real("y", 0, 1).build();

    /** A recorded finished evaluation of (x, y) with outcome {@code v}, that took {@code seconds}. */
    private static Evaluation recorded(long id, double x, double y, double v, double seconds) {
        return new Evaluation(id, Map.of("x", x, "y", y), Map.of("v", v), Map.of(), TaskState.FINISHED, null, null,
                null, null, seconds, null);
    }

    /** A grid of n × n recorded evaluations of v = (x - 0.3)² + (y - 0.6)², each taking {@code seconds}. */
    private static Replay grid(int n, double seconds) {
        List<Evaluation> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = (i + 0.5) / n;
                double y = (j + 0.5) / n;
                all.add(recorded(all.size() + 1, x, y, (x - 0.3) * (x - 0.3) + (y - 0.6) * (y - 0.6), seconds));
            }
        }
        return Replay.of(SPACE, all);
    }

    @Test
    void nearest_isTheClosestRecordedConfigurationInTheUnitCube() {
        Replay replay = Replay.of(SPACE, List.of(recorded(1, 0.1, 0.1, 1, 1), recorded(2, 0.9, 0.9, 2, 2),
                recorded(3, 0.5, 0.2, 3, 3)));

        assertThat(replay.nearest(Map.of("x", 0.2, "y", 0.0)).id()).isEqualTo(1);
        assertThat(replay.nearest(Map.of("x", 0.8, "y", 0.6)).id()).isEqualTo(2);
        assertThat(replay.nearest(Map.of("x", 0.45, "y", 0.25)).id()).isEqualTo(3);
    }

    @Test
    void of_skipsFailedAndUntimedEvaluations_andRefusesWhenNothingIsLeft() {
        Evaluation failed = new Evaluation(1, Map.of("x", 0.5, "y", 0.5), Map.of(), Map.of(), TaskState.FAILED, null,
                null, null, null, Double.NaN, null);
        Evaluation untimed = recorded(2, 0.5, 0.5, 1, Double.NaN);

        assertThat(Replay.of(SPACE, List.of(failed, untimed, recorded(3, 0.1, 0.1, 1, 1))).size()).isEqualTo(1);
        assertThatThrownBy(() -> Replay.of(SPACE, List.of(failed, untimed)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none of the 2 evaluations finished with a recorded time");
    }

    @Test
    void read_takesWhatARunWroteAsJsonLines(@TempDir Path dir) throws Exception {
        Network network = Network.builder(Store.memory(), "recorded").seed(3).create();
        OptimizationResult run = Optimization.on(network).space(SPACE)
                .objective(config -> Map.of("v", ((Number) config.get("x")).doubleValue()))
                .outcomes(Outcome.minimize("v")).optimizer(Optimizer.random())
                .terminator(Terminator.evaluations(20)).workers(2).run();
        StringWriter lines = new StringWriter();
        run.archive().writeJsonLines(lines);
        Path file = dir.resolve("run.jsonl");
        Files.writeString(file, lines.toString());

        Replay replay = Replay.read(SPACE, List.of(file));

        assertThat(replay.size()).isEqualTo(20);
        for (Evaluation e : run.archive().evaluations()) {
            Evaluation again = replay.nearest(e.config());
            assertThat(again.outcomes()).isEqualTo(e.outcomes());
            assertThat(again.seconds()).isEqualTo(e.seconds());
        }
    }

    @Test
    void read_namesTheFileAndLineOfWhatItCannotUse(@TempDir Path dir) throws IOException {
        Path notJson = Files.writeString(dir.resolve("a.jsonl"), "\n{\"state\":\"FINISHED\"}\n");
        Path otherSpace = Files.writeString(dir.resolve("b.jsonl"), "{\"state\":\"FINISHED\",\"config\":{\"z\":1},"
                + "\"outcomes\":{\"v\":1},\"seconds\":1}\n");

        assertThatThrownBy(() -> Replay.read(SPACE, List.of(notJson)))
                .hasMessageContaining("a.jsonl line 2 is not an evaluation");
        assertThatThrownBy(() -> Replay.read(SPACE, List.of(otherSpace)))
                .hasMessageContaining("b.jsonl line 1")
                .hasMessageContaining("recorded with this search space");
        assertThatThrownBy(() -> Replay.read(SPACE, List.of(dir.resolve("missing.jsonl"))))
                .hasMessageContaining("missing.jsonl");
    }

    private static Optimization optimization(String name, Optimizer optimizer, int workers, int evals) {
        return Optimization.on(Network.builder(Store.memory(), name).seed(11).create()).space(SPACE)
                .outcomes(Outcome.minimize("v")).optimizer(optimizer).terminator(Terminator.evaluations(evals))
                .workers(workers);
    }

    @Test
    void simulate_runsTheBudgetInVirtualTime_withEveryWorkerBusyOnRecordedTimes() {
        Replay replay = grid(10, 60);
        Optimization.SimulationResult simulated = optimization("random", Optimizer.random(), 50, 500)
                .simulate(replay);
        OptimizationResult run = simulated.run();

        assertThat(run.archive().size()).isEqualTo(500);
        assertThat(run.workers()).isEqualTo(50);
        // 500 evaluations of a minute each over 50 workers: ten minutes of virtual time, barely more.
        assertThat(run.elapsed().toSeconds()).isBetween(600L, 601L);
        assertThat(run.utilization()).isGreaterThan(0.999);
        Set<Map<String, Double>> outcomes = replay.recorded().stream().map(Evaluation::outcomes)
                .collect(Collectors.toSet());
        assertThat(run.archive().evaluations()).allSatisfy(e -> {
            assertThat(outcomes).contains(e.outcomes());
            assertThat(e.seconds()).isEqualTo(60);
        });
        assertThat(run.archive().evaluations().stream().map(Evaluation::worker).distinct().count()).isEqualTo(50);
        assertThat(simulated.centralProposerBusy()).isNaN();
    }

    @Test
    void simulate_centralizedProposerKeepsFewerWorkersBusyThanDecentralizedOnes_whenEvaluationsAreShort() {
        // Evaluations of 100 µs against proposals that fit a forest: 30 workers outrun one proposer, not 30.
        Replay replay = grid(12, 1e-4);
        Optimization.SimulationResult adbo = optimization("adbo", Optimizer.adbo(), 30, 150).simulate(replay);
        Optimization.SimulationResult cbo = optimization("cbo", Optimizer.centralized(), 30, 150).simulate(replay);

        assertThat(adbo.run().archive().size()).isEqualTo(150);
        assertThat(cbo.run().archive().size()).isEqualTo(150);
        assertThat(cbo.centralProposerBusy()).isGreaterThan(0.9);
        assertThat(cbo.run().utilization()).isLessThan(adbo.run().utilization() / 5);
        assertThat(adbo.proposals()).isGreaterThan(100);
        assertThat(adbo.medianProposal()).isPositive();
    }

    @Test
    void simulate_aSurrogateLearnsFromTheReplayedOutcomes_andSearchesNearTheOptimum() {
        Replay replay = grid(20, 10);
        OptimizationResult run = optimization("found", Optimizer.adbo(), 8, 120).simulate(replay).run();

        List<Evaluation> all = run.archive().finished();
        double gridMean = replay.recorded().stream().mapToDouble(e -> e.outcomes().get("v")).average().orElseThrow();
        double lateMean = all.subList(all.size() / 2, all.size()).stream().mapToDouble(e -> e.outcomes().get("v"))
                .average().orElseThrow();
        // Random search's evaluations average the grid's mean (about 0.22); a surrogate fed the replayed outcomes
        // spends its second half near the optimum.
        assertThat(lateMean).isLessThan(gridMean / 4);
        assertThat(run.bestValue()).isLessThan(0.0063);
    }
}
