package dev.starling.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricTest {
    private static final double[] LABELS = {0, 0, 1, 1};
    private static final double[] P = {0.1, 0.4, 0.35, 0.8};

    @Test
    void auc_handWorked_countsPairsRankedRight() {
        // Pairs (positive, negative): (0.35, 0.1) right, (0.35, 0.4) wrong, (0.8, 0.1) right, (0.8, 0.4) right.
        assertThat(Metric.AUC.of(LABELS, P)).isEqualTo(0.75);
    }

    @Test
    void auc_tiesCountHalf() {
        assertThat(Metric.AUC.of(LABELS, new double[] {0.5, 0.5, 0.5, 0.5})).isEqualTo(0.5);
        // (0.4 vs 0.4) is a tie: 3 right pairs + a half, of 4.
        assertThat(Metric.AUC.of(LABELS, new double[] {0.1, 0.4, 0.4, 0.8})).isEqualTo(0.875);
    }

    @Test
    void logLoss_accuracyAndError_handWorked() {
        double expected = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4;
        assertThat(Metric.LOG_LOSS.of(LABELS, P)).isCloseTo(expected, within(1e-12));
        // 0.35 is on the wrong side of 0.5; the other three are right.
        assertThat(Metric.ACCURACY.of(LABELS, P)).isEqualTo(0.75);
        assertThat(Metric.ERROR.of(LABELS, P)).isEqualTo(0.25);
    }

    @Test
    void logLoss_clipsCertainMistakes() {
        assertThat(Metric.LOG_LOSS.of(new double[] {1}, new double[] {0})).isCloseTo(-Math.log(1e-15),
                within(1e-9));
    }

    @Test
    void auc_ofOneClass_andMismatchedLengths_areClearErrors() {
        assertThatThrownBy(() -> Metric.AUC.of(new double[] {1, 1}, new double[] {0.2, 0.3}))
                .hasMessageContaining("both classes");
        assertThatThrownBy(() -> Metric.ERROR.of(new double[] {1, 0}, new double[] {0.2}))
                .hasMessageContaining("as many probabilities as labels");
    }

    @Test
    void named_readsLabels_andListsTheKnownOnes() {
        assertThat(Metric.named("AUC")).isEqualTo(Metric.AUC);
        assertThat(Metric.named("logloss")).isEqualTo(Metric.LOG_LOSS);
        assertThat(Metric.AUC.outcome().maximize()).isTrue();
        assertThat(Metric.LOG_LOSS.outcome().maximize()).isFalse();
        assertThatThrownBy(() -> Metric.named("f1")).hasMessageContaining("auc, logloss, accuracy, error");
    }
}
