package dev.starling.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FoldsTest {
    /** 1,000 rows, 300 of them positive, as credit-g. */
    private static double[] labels() {
        double[] y = new double[1000];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 10 < 3 ? 1 : 0;
        }
        return y;
    }

    @Test
    void stratified_everyFoldHoldsEachClassInProportion_andEveryRowIsTestedOnce() {
        double[] y = labels();
        Folds folds = Folds.stratified(y, 7, 1);
        int[] tested = new int[y.length];
        for (int f = 0; f < folds.count(); f++) {
            int[] test = folds.test(f);
            long positives = Arrays.stream(test).filter(i -> y[i] == 1).count();
            // 300 positives over 7 folds: 42 or 43 each; 700 negatives: 100 each.
            assertThat(positives).isBetween(42L, 43L);
            assertThat(test.length - positives).isBetween(99L, 101L);
            assertThat(test.length).isBetween(1000 / 7, 1000 / 7 + 1);
            Arrays.stream(test).forEach(i -> tested[i]++);
            int[] train = folds.train(f);
            assertThat(train.length + test.length).isEqualTo(y.length);
            assertThat(IntStream.of(train).filter(i -> folds.foldOf(i) == folds.foldOf(test[0])).count()).isZero();
        }
        assertThat(tested).containsOnly(1);
    }

    @Test
    void stratified_isRepeatableForASeed_andDiffersAcrossSeeds() {
        assertThat(Folds.stratified(labels(), 10, 42)).isEqualTo(Folds.stratified(labels(), 10, 42));
        assertThat(Folds.stratified(labels(), 10, 42)).isNotEqualTo(Folds.stratified(labels(), 10, 43));
    }

    @Test
    void tooFewRowsOfAClass_orTooFewFolds_areClearErrors() {
        double[] y = {0, 0, 0, 0, 1, 1};
        assertThatThrownBy(() -> Folds.stratified(y, 3, 1)).hasMessageContaining("class 1.0 has 2 rows")
                .hasMessageContaining("use at most 2 folds");
        assertThatThrownBy(() -> Folds.stratified(y, 1, 1)).hasMessageContaining("at least 2 folds");
    }
}
