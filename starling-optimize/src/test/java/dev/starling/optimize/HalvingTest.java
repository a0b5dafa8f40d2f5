package dev.starling.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Successive halving's rule against hand-worked archives: rungs 1, 3, 9 (eta 3) of the fidelity r. */
class HalvingTest {
    private static final SearchSpace SPACE = SearchSpace.builder().real("x", 0, 1).integer("r", 1, 9).build();
    private static final Outcome Y = Outcome.minimize("y");
    private final List<Evaluation> done = new ArrayList<>();
    private final List<Map<String, Object>> pending = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(1);

    private void finished(double x, int r, double y) {
        done.add(new Evaluation(done.size() + 1, Map.of("x", x, "r", r), Map.of("y", y), Map.of(),
                TaskState.FINISHED, "w", null, null, null, 1, null));
    }

    private void failed(double x, int r) {
        done.add(new Evaluation(done.size() + 1, Map.of("x", x, "r", r), Map.of(), Map.of(), TaskState.FAILED, "w",
                null, null, null, Double.NaN, null));
    }

    private Map<String, Object> next(Halving rule) {
        return rule.propose(done, pending, random);
    }

    private static Halving asha() {
        return Halving.of(SPACE, Optimizer.asha("r"), Y);
    }

    @Test
    void rungs_areTheLowerBoundTimesPowersOfEta() {
        assertThat(asha().rungs()).containsExactly(1, 3, 9);
        SearchSpace wide = SearchSpace.builder().integer("rounds", 10, 500).build();
        assertThat(Halving.of(wide, Optimizer.asha("rounds"), Y).rungs()).containsExactly(10, 30, 90, 270);
    }

    @Test
    void rungsOfARealFidelity_endAtItsUpperBound_notPastIt() {
        SearchSpace real = SearchSpace.builder().real("f", 0.1, 0.9).build();
        List<Object> rungs = Halving.of(real, Optimizer.asha("f"), Y).rungs();
        // 0.1 · 3² is 0.9000000000000001 in doubles: it must be the bound itself.
        assertThat(rungs).hasSize(3).last().isEqualTo(0.9);
        assertThat(rungs).allSatisfy(r -> assertThat((Double) r).isLessThanOrEqualTo(0.9));
    }

    @Test
    void emptyArchive_startsANewConfigurationAtTheLowestRung() {
        assertThat(next(asha())).containsEntry("r", 1).containsKey("x");
    }

    @Test
    void promotesTheBestOfTheTopThird_thatIsNotYetOnTheNextRung() {
        double[] losses = {5, 1, 4, 2, 6, 3};
        for (int i = 0; i < losses.length; i++) {
            finished((i + 1) / 10.0, 1, losses[i]);
        }
        // floor(6 / 3) = 2 are promotable: x=0.2 (loss 1) and x=0.4 (loss 2).
        assertThat(next(asha())).isEqualTo(Map.of("x", 0.2, "r", 3));

        pending.add(Map.of("x", 0.2, "r", 3));
        assertThat(next(asha())).isEqualTo(Map.of("x", 0.4, "r", 3));

        finished(0.4, 3, 0.5);
        Map<String, Object> fresh = next(asha());
        // Both promoted; one evaluation on rung 3 promotes none (floor(1 / 3) = 0): a new configuration.
        assertThat(fresh).containsEntry("r", 1);
        assertThat(fresh.get("x")).isNotIn(0.1, 0.2, 0.3, 0.4, 0.5, 0.6);
    }

    @Test
    void higherRungsArePromotedFirst() {
        for (int i = 1; i <= 9; i++) {
            finished(i / 10.0, 1, i);
        }
        finished(0.1, 3, 0.9);
        finished(0.2, 3, 0.3);
        finished(0.3, 3, 0.6);
        // Rung 3 has 3 finished: its best (x=0.2) goes to 9, before any more of rung 1.
        assertThat(next(asha())).isEqualTo(Map.of("x", 0.2, "r", 9));
    }

    @Test
    void failuresCountInTheRung_butAreNeverPromoted() {
        failed(0.1, 1);
        failed(0.2, 1);
        finished(0.3, 1, 7);
        assertThat(next(asha())).isEqualTo(Map.of("x", 0.3, "r", 3));

        done.clear();
        failed(0.1, 1);
        failed(0.2, 1);
        failed(0.3, 1);
        assertThat(next(asha())).containsEntry("r", 1).doesNotContainEntry("x", 0.1);
    }

    @Test
    void maximizedOutcome_promotesTheLargest() {
        Halving rule = Halving.of(SPACE, Optimizer.asha("r"), Outcome.maximize("y"));
        finished(0.1, 1, 0.7);
        finished(0.2, 1, 0.9);
        finished(0.3, 1, 0.8);
        assertThat(next(rule)).isEqualTo(Map.of("x", 0.2, "r", 3));
    }

    @Test
    void hyperband_drawsBracketsWithHyperbandsWeights_andComparesWithinABracket() {
        Halving rule = Halving.of(SPACE, Optimizer.hyperband("r"), Y);
        int[] starts = new int[10];
        for (int i = 0; i < 17_000; i++) {
            starts[(Integer) next(rule).get("r")]++;
        }
        // Weights ceil(3/3 * 9) = 9, ceil(3/2 * 3) = 5, ceil(3/1 * 1) = 3, of 17.
        assertThat(starts[1]).isBetween(8_700, 9_300);
        assertThat(starts[3]).isBetween(4_750, 5_250);
        assertThat(starts[9]).isBetween(2_800, 3_200);

        // Three started at rung 3 (bracket 1): they compete among themselves, not with bracket 0's x=0.9.
        finished(0.9, 1, 0.1);
        finished(0.1, 3, 0.5);
        finished(0.2, 3, 0.2);
        finished(0.3, 3, 0.4);
        assertThat(next(rule)).isEqualTo(Map.of("x", 0.2, "r", 9));
    }

    @Test
    void badFidelities_areClearErrors() {
        assertThatThrownBy(() -> Halving.of(SPACE, Optimizer.asha("rounds"), Y))
                .hasMessageContaining("'rounds' of asha is not in the search space");
        SearchSpace zero = SearchSpace.builder().real("r", 0, 10).build();
        assertThatThrownBy(() -> Halving.of(zero, Optimizer.asha("r"), Y)).hasMessageContaining("positive lower");
        SearchSpace narrow = SearchSpace.builder().integer("r", 5, 10).build();
        assertThatThrownBy(() -> Halving.of(narrow, Optimizer.asha("r"), Y)).hasMessageContaining("one rung");
        SearchSpace categorical = SearchSpace.builder().categorical("r", "a", "b").build();
        assertThatThrownBy(() -> Halving.of(categorical, Optimizer.asha("r"), Y))
                .hasMessageContaining("must be real or integer");
    }
}
