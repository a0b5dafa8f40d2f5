package dev.starling.optimize.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalScoresTest {
    @Test
    void quantile_matchesTabulatedValues() {
        assertThat(NormalScores.quantile(0.5)).isCloseTo(0.0, within(1e-12));
        assertThat(NormalScores.quantile(0.975)).isCloseTo(1.959963985, within(1e-8));
        assertThat(NormalScores.quantile(0.025)).isCloseTo(-1.959963985, within(1e-8));
        assertThat(NormalScores.quantile(0.8413447461)).isCloseTo(1.0, within(1e-8));
        assertThat(NormalScores.quantile(1e-6)).isCloseTo(-4.753424309, within(1e-7));
        assertThat(NormalScores.quantile(1 - 1e-6)).isCloseTo(4.753424309, within(1e-7));
    }

    @Test
    void quantile_rejectsProbabilitiesOutsideTheOpenInterval() {
        assertThatThrownBy(() -> NormalScores.quantile(0)).hasMessageContaining("strictly between 0 and 1, was 0.0");
        assertThatThrownBy(() -> NormalScores.quantile(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void transform_keepsTheOrder_isSymmetric_andGivesTiesOneScore() {
        double[] values = {1e9, -3, 0.5, 0.5, 7};
        NormalScores.transform(values);
        // ranks: -3 -> 1, 0.5 -> 2 and 3 (average 2.5), 7 -> 4, 1e9 -> 5
        assertThat(values[1]).isCloseTo(NormalScores.quantile(0.1), within(1e-12));
        assertThat(values[2]).isEqualTo(values[3]).isCloseTo(NormalScores.quantile(0.4), within(1e-12));
        assertThat(values[4]).isCloseTo(NormalScores.quantile(0.7), within(1e-12));
        assertThat(values[0]).isCloseTo(-values[1], within(1e-12));
        assertThat(values[1]).isLessThan(values[2]);
        assertThat(values[4]).isLessThan(values[0]);
    }
}
