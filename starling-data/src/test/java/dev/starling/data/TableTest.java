package dev.starling.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableTest {
    private Table table;

    @BeforeEach
    void load(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("id,twice\n");
        for (int i = 0; i < 50; i++) {
            csv.append(i).append(',').append(2 * i).append('\n');
        }
        table = Datasets.load(Files.writeString(dir.resolve("pairs.csv"), csv).toString(), "twice");
    }

    @Test
    void rows_slicesKeepNameTargetAndFeatures() {
        Table slice = table.rows(10, 13);

        assertThat(slice.rows()).isEqualTo(3);
        assertThat(slice.name()).isEqualTo("pairs");
        assertThat(slice.target()).isEqualTo("twice");
        assertThat(slice.features()).containsExactly("id");
        assertThat(slice.x()).isDeepEqualTo(new double[][] {{10}, {11}, {12}});
        assertThat(slice.y()).containsExactly(20, 22, 24);
        assertThat(table.rows(50, 50).rows()).isZero();
        assertThat(slice).hasToString("Table[pairs: 3 rows × 1 features, target twice]");
    }

    @Test
    void rows_outOfRange_saysTheBounds() {
        assertThatThrownBy(() -> table.rows(5, 51)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("rows(from, to) of pairs needs 0 <= from <= to <= 50, was (5, 51)");
        assertThatThrownBy(() -> table.rows(3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shuffled_isRepeatableForASeed_andKeepsRowsWithTheirLabels() {
        Table a = table.shuffled(42);
        Table b = table.shuffled(42);
        Table c = table.shuffled(43);

        assertThat(a.x()).isDeepEqualTo(b.x());
        assertThat(a.y()).containsExactly(b.y());
        assertThat(a.y()).isNotEqualTo(c.y()).isNotEqualTo(table.y());
        double[][] x = a.x();
        double[] y = a.y();
        for (int i = 0; i < y.length; i++) {
            assertThat(y[i]).isEqualTo(2 * x[i][0]);
        }
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        assertThat(sorted).containsExactly(table.y());
    }

    @Test
    void xAndY_areCopies() {
        table.x()[0][0] = 99;
        table.y()[0] = 99;
        assertThat(table.x()[0][0]).isZero();
        assertThat(table.y()[0]).isZero();
        assertThatThrownBy(() -> table.features().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
