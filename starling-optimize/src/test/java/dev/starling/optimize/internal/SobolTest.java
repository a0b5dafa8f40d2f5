package dev.starling.optimize.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SobolTest {

    @Test
    void firstPoints_matchTheDefinition() {
        double[][] p = Sobol.unshifted(3).next(8);
        // dimension 1: van der Corput in Gray-code order; dimension 2 (s=1, m=1): 0, .5, .25, .75, ...
        assertThat(column(p, 0)).containsExactly(0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125);
        assertThat(column(p, 1)).containsExactly(0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625);
        // dimension 3 (s=2, a=1, m=1,3): v = .5, .75, .375, ... worked by hand
        assertThat(column(p, 2)).containsExactly(0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375);
    }

    @Test
    void everyOneDimensionalProjection_hasOnePointPerStratum_shiftedOrNot() {
        int n = 1 << 10;
        for (Sobol sobol : new Sobol[] {Sobol.unshifted(40), new Sobol(40, 7)}) {
            double[][] p = sobol.next(n);
            for (int j = 0; j < 40; j++) {
                Set<Integer> strata = new HashSet<>();
                for (double[] point : p) {
                    assertThat(point[j]).isGreaterThanOrEqualTo(0).isLessThan(1);
                    // p[0] is the shift; undoing it leaves a multiple of 1/n, up to rounding
                    strata.add((int) (Math.round(((point[j] - p[0][j] + 1) % 1) * n) % n));
                }
                assertThat(strata).as("dimension %d", j + 1).hasSize(n);
            }
        }
    }

    @Test
    void twoDimensionalProjections_areNets() {
        // The first 2^10 points put exactly 4 points in each cell of a 16 x 16 grid for these pairs (a (0, 10, 2)-net).
        double[][] p = Sobol.unshifted(8).next(1 << 10);
        for (int a = 0; a < 8; a++) {
            for (int b = a + 1; b < 8; b++) {
                int[] cells = new int[256];
                for (double[] point : p) {
                    cells[(int) (point[a] * 16) * 16 + (int) (point[b] * 16)]++;
                }
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (int c : cells) {
                    min = Math.min(min, c);
                    max = Math.max(max, c);
                }
                assertThat(new int[] {min, max}).as("dimensions %d and %d", a + 1, b + 1).containsExactly(4, 4);
            }
        }
    }

    @Test
    void seeds_giveDifferentDesigns_andBadDimensionsAreRejected() {
        assertThat(new Sobol(2, 1).next()).isNotEqualTo(new Sobol(2, 2).next());
        assertThat(new Sobol(2, 1).next(5)).isDeepEqualTo(new Sobol(2, 1).next(5));
        assertThatThrownBy(() -> new Sobol(1001, 1)).hasMessageContaining("1 to 1000 dimensions, was 1001");
        assertThatThrownBy(() -> Sobol.unshifted(0)).hasMessageContaining("was 0");
    }

    private static double[] column(double[][] p, int j) {
        double[] c = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i][j];
        }
        return c;
    }
}
