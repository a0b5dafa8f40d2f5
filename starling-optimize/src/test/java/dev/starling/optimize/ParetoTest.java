package dev.starling.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pareto fronts and hypervolumes against hand-worked values. */
class ParetoTest {
    private static final List<double[]> POINTS = List.of(new double[] {1, 5}, new double[] {2, 2},
            new double[] {3, 1}, new double[] {3, 3}, new double[] {2, 2});

    @Test
    void front_dropsDominatedPointsAndRepeats() {
        // (3, 3) is dominated by (2, 2); the second (2, 2) repeats the first.
        assertThat(Pareto.front(POINTS)).containsExactly(0, 1, 2);
        assertThat(Pareto.dominates(new double[] {2, 2}, new double[] {3, 3})).isTrue();
        assertThat(Pareto.dominates(new double[] {2, 2}, new double[] {2, 2})).isFalse();
        assertThat(Pareto.dominates(new double[] {1, 5}, new double[] {3, 1})).isFalse();
    }

    @Test
    void hypervolume2d_isTheAreaOfTheUnionOfBoxes() {
        // Reference (4, 6): over y in [1, 2) the front reaches x = 3 (width 1), over [2, 5) x = 2 (width 2),
        // over [5, 6) x = 1 (width 3): 1 + 6 + 3 = 10. Dominated and repeated points add nothing.
        assertThat(Pareto.hypervolume(POINTS, new double[] {4, 6})).isCloseTo(10, within(1e-12));
        assertThat(Pareto.hypervolume(POINTS.subList(0, 3), new double[] {4, 6})).isCloseTo(10, within(1e-12));
    }

    @Test
    void hypervolume3d_countsOverlapsOnce_andIgnoresPointsBeyondTheReference() {
        assertThat(Pareto.hypervolume(List.<double[]>of(new double[] {0, 0, 0}), new double[] {1, 2, 3}))
                .isCloseTo(6, within(1e-12));
        // Boxes of 2·2·1 = 4 and 1·1·2 = 2 overlapping in [1,2]³ = 1: 5.
        List<double[]> two = List.of(new double[] {0, 0, 1}, new double[] {1, 1, 0}, new double[] {0, 3, 0});
        assertThat(Pareto.hypervolume(two, new double[] {2, 2, 2})).isCloseTo(5, within(1e-12));
        assertThatThrownBy(() -> Pareto.hypervolume(two, new double[] {2, 2}))
                .hasMessageContaining("3 coordinates, the reference 2");
    }
}
