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

/** starling admm, run in this JVM on a small problem: every variant converges, on both stores; CSV and plots. */
@Timeout(180)
class AdmmCommandTest extends ConsoleTest {
    private static final Pattern LINE = Pattern.compile("variant=(\\w+) workers=(\\d+) chunks=(\\d+) updates=(\\d+)"
            + " time_s=(\\S+) time_to_tol_s=(\\S+) objective=(\\S+) reference=(\\S+) gap=(\\S+) primal=(\\S+)"
            + " dual=(\\S+)");
    private static final String[] SMALL = {"--rows", "8000", "--features", "12", "--chunks", "4", "--time", "60s"};

    @TempDir
    Path dir;

    private List<Matcher> resultLines() {
        return output().lines().map(LINE::matcher).filter(Matcher::matches).toList();
    }

    private static String[] args(String... more) {
        String[] all = new String[SMALL.length + more.length + 1];
        all[0] = "admm";
        System.arraycopy(SMALL, 0, all, 1, SMALL.length);
        System.arraycopy(more, 0, all, 1 + SMALL.length, more.length);
        return all;
    }

    @Test
    void allThreeVariants_onTheMemoryStore_reachTheGapAndWriteCsvAndPlots() throws Exception {
        Path csv = dir.resolve("steps.csv");
        Path png = dir.resolve("admm.png");

        assertThat(Main.run(args("--csv", csv.toString(), "--plot", png.toString()))).as(errors()).isZero();

        List<Matcher> lines = resultLines();
        assertThat(lines).extracting(m -> m.group(1)).containsExactly("sync", "async", "batched");
        for (Matcher m : lines) {
            assertThat(Double.parseDouble(m.group(9))).isLessThanOrEqualTo(1e-6);
            assertThat(Double.parseDouble(m.group(6))).isPositive();
            assertThat(m.group(2)).isEqualTo("2");
            assertThat(m.group(3)).isEqualTo("4");
        }
        assertThat(LINE.matcher(lastLine()).matches()).isTrue();
        assertThat(Files.readAllLines(csv).getFirst()).isEqualTo("variant,seconds,updates,primal,dual,objective,gap,"
                + "staleness");
        assertThat(Files.readAllLines(csv)).hasSizeGreaterThan(10);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(1000);
        assertThat(ImageIO.read(dir.resolve("admm-tasks.png").toFile()).getHeight()).isGreaterThan(100);
    }

    @Test
    void iterativeSolverWithAStraggler_onRedisWithWorkerProcesses_converges() {
        assertThat(Main.run(args("--store", TestRedis.url(), "--processes", "--local", "iterative",
                "--straggler", "2", "--variant", "sync,batched"))).as(errors()).isZero();

        assertThat(resultLines()).extracting(m -> m.group(1)).containsExactly("sync", "batched");
        assertThat(resultLines()).allSatisfy(m -> assertThat(Double.parseDouble(m.group(9))).isLessThanOrEqualTo(1e-6));
        assertThat(output()).contains("worker processes");
    }

    @Test
    void aRunThatMissesTheTolerance_exitsOneAndSaysWhy() {
        assertThat(Main.run("admm", "--rows", "8000", "--features", "12", "--chunks", "4", "--variant", "async",
                "--time", "1ms")).as(errors()).isEqualTo(1);

        assertThat(errors()).contains("ended short: async did not reach a relative gap of 1.0E-6 within 1ms");
    }

    @Test
    void badOptions_areUsageErrorsNamingTheOption() {
        assertThat(Main.run("admm", "--variant", "fast")).isEqualTo(2);
        assertThat(errors()).contains("unknown variant 'fast'");
        err.reset();
        assertThat(Main.run("admm", "--rows", "1001", "--chunks", "4")).isEqualTo(2);
        assertThat(errors()).contains("multiple of chunks");
        err.reset();
        assertThat(Main.run("admm", "--local", "magic")).isEqualTo(2);
        assertThat(errors()).contains("--local must be one of [exact, iterative]");
    }
}
