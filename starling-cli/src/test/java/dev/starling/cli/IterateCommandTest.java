package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** starling iterate, run in this JVM: the result line, the files, the modes, bad input, a run that ends short. */
@Timeout(180)
class IterateCommandTest extends ConsoleTest {
    private static final Pattern LINE = Pattern.compile("algorithm=(\\w+) mode=(\\S+) workers=(\\d+) iterations=(\\d+)"
            + " epochs=(\\d+) time_s=(\\S+) loss=(\\S+) reference_loss=(\\S+) time_to_loss_s=(\\S+)"
            + " max_staleness=(\\d+)");

    @TempDir
    Path dir;

    private List<Matcher> resultLines() {
        return output().lines().map(LINE::matcher).filter(Matcher::matches).toList();
    }

    @Test
    void everyMode_reachesTheReferenceLoss_andTheLastLineSaysSo() throws Exception {
        Path csv = dir.resolve("h.csv");
        Path json = dir.resolve("h.jsonl");
        Path png = dir.resolve("h.png");

        assertThat(Main.run("iterate", "--algorithm", "saga", "--problem", "lsq", "--rows", "4000", "--features", "8",
                "--workers", "3", "--mode", "sync,async,ssp:1,quorum:2", "--csv", csv.toString(), "--json",
                json.toString(), "--plot", png.toString())).as(errors()).isZero();

        List<Matcher> lines = resultLines();
        assertThat(lines).extracting(m -> m.group(2)).containsExactly("sync", "async", "ssp:1", "quorum:2");
        for (Matcher m : lines) {
            double loss = Double.parseDouble(m.group(7));
            double reference = Double.parseDouble(m.group(8));
            assertThat(loss).isLessThanOrEqualTo(reference * (1 + 1e-3)).isGreaterThanOrEqualTo(reference);
            assertThat(Double.parseDouble(m.group(9))).isPositive();
            assertThat(m.group(3)).isEqualTo("3");
        }
        assertThat(lines.get(0).group(10)).isEqualTo("0");
        assertThat(LINE.matcher(lastLine()).matches()).isTrue();
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.getFirst()).isEqualTo("run,iteration,epoch,seconds,answers,staleness,metric");
        assertThat(rows).anyMatch(r -> r.startsWith("saga quorum:2,"));
        assertThat(Files.readAllLines(json).getFirst()).startsWith("{\"run\":\"saga sync\",\"iteration\":1,");
        assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(1000);
    }

    @Test
    void sgdWithStragglers_onRedisWithWorkerProcesses_converges() {
        assertThat(Main.run("iterate", "--algorithm", "sgd", "--problem", "logreg", "--rows", "4000", "--features",
                "8", "--store", TestRedis.url(), "--processes", "2", "--mode", "sync,async", "--stragglers", "3"))
                .as(errors()).isZero();

        assertThat(resultLines()).extracting(m -> m.group(2)).containsExactly("sync", "async");
        assertThat(output()).contains("2 worker processes", "stragglers last worker 3.0× slower");
    }

    @Test
    void aRunThatMissesTheLoss_exitsOneAndSaysWhy() {
        assertThat(Main.run("iterate", "--problem", "lsq", "--rows", "4000", "--stop", "gap=1e-3,iterations=3"))
                .as(errors()).isEqualTo(1);

        assertThat(errors()).contains("ended short: async did not reach a loss of");
        assertThat(LINE.matcher(lastLine()).matches()).isTrue();
        assertThat(lastLine()).contains("iterations=3 ").contains("time_to_loss_s=-1.000");
    }

    @Test
    void iterationAndEpochStops_areNotShort() {
        assertThat(Main.run("iterate", "--problem", "lsq", "--rows", "2000", "--mode", "async", "--stop",
                "epochs=5")).as(errors()).isZero();

        assertThat(lastLine()).contains("epochs=5 ");
    }

    @Test
    void badInput_isRefusedWithWhatToDo() {
        assertThat(Main.run("iterate", "--mode", "lockstep")).isEqualTo(2);
        assertThat(errors()).contains("--mode is sync, async, ssp:S or quorum:K, was 'lockstep'");
        assertThat(Main.run("iterate", "--stop", "iteratons=5")).isEqualTo(2);
        assertThat(errors()).contains("--stop knows iterations, epochs, time, loss and gap, not 'iteratons'");
        assertThat(Main.run("iterate", "--algorithm", "adam")).isEqualTo(2);
        assertThat(errors()).contains("--algorithm is sgd or saga, was 'adam'");
        assertThat(Main.run("iterate", "--stragglers", "slow")).isEqualTo(2);
        assertThat(errors()).contains("stragglers must be none, longtail");
        assertThat(Main.run("iterate", "--problem", "lsq", "--target", "y")).isEqualTo(2);
        assertThat(errors()).contains("--loss and --target are for data sets");
        assertThat(Main.run("iterate", "--workers", "2", "--mode", "sync,quorum:3")).isEqualTo(2);
        assertThat(errors()).contains("--mode quorum:3 needs at least 3 workers");
        assertThat(Main.run("iterate", "--problem", dir.resolve("missing.csv").toString())).isEqualTo(1);
        assertThat(errors()).contains("missing.csv");
    }
}
