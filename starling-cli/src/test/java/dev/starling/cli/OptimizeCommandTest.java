package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Archive;
import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.WorkerInfo;
import dev.starling.redis.RedisStore;
import dev.starling.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code starling optimize} on the memory store and on Redis with worker processes, output captured. */
@Timeout(180)
class OptimizeCommandTest extends ConsoleTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "best (\\w+)=(\\S+) evaluations=(\\d+) workers=(\\d+) utilization=([0-9.]+|NaN)");

    private Matcher summary() {
        Matcher m = SUMMARY.matcher(lastLine());
        assertThat(m.matches()).as(output() + errors()).isTrue();
        return m;
    }

    @Test
    void problemOnTheMemoryStore_endsWithTheSummaryLine() {
        assertThat(Main.run("optimize", "--problem", "branin", "--evals", "60", "--design", "20", "--workers", "3",
                "--seed", "4")).isZero();

        Matcher m = summary();
        assertThat(m.group(1)).isEqualTo("y");
        assertThat(Double.parseDouble(m.group(2))).isBetween(0.397, 20.0);
        assertThat(m.group(3)).isEqualTo("60");
        assertThat(m.group(4)).isEqualTo("3");
        assertThat(Double.parseDouble(m.group(5))).isBetween(0.0, 1.0);
        assertThat(output()).contains("regret");
    }

    @Test
    void plot_drawsTheBestValue_andEachWorkersEvaluationsInItsOwnColour(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("best.png");
        assertThat(Main.run("optimize", "--problem", "branin", "--evals", "60", "--workers", "3", "--seed", "4",
                "--plot", png.toString())).as(errors()).isZero();

        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).as("three panels side by side").isEqualTo(3 * 620);
        // The third panel colours each worker's evaluations with the next colour of the palette.
        java.util.Set<Integer> palette = java.util.Set.of(0x1f77b4, 0xff7f0e, 0x2ca02c);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int x = 2 * 620; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                if (palette.contains(rgb)) {
                    seen.add(rgb);
                }
            }
        }
        assertThat(seen).as("a colour per worker that evaluated").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void everyOptimizerRunsWithWorkerProcessesOnRedis() {
        for (String optimizer : new String[] {"random", "adbo", "cbo"}) {
            out.reset();
            assertThat(Main.run("optimize", "--problem", "hartmann3", "--optimizer", optimizer, "--evals", "30",
                    "--design", "8", "--processes", "2", "--store", TestRedis.url(), "--network", "cli-" + optimizer))
                    .as(errors()).isZero();
            Matcher m = summary();
            assertThat(m.group(3)).isEqualTo("30");
            assertThat(m.group(4)).isEqualTo("2");
        }
    }

    @Test
    void commandObjective_withASpaceFile_maximizesAndExports(@TempDir Path dir) throws Exception {
        Path space = dir.resolve("space.json");
        Files.writeString(space, """
                {"x": {"type": "real", "lower": 0, "upper": 1},
                 "kind": {"type": "categorical", "values": ["a", "b"]}}
                """);
        Path csv = dir.resolve("evals.csv");
        assertThat(Main.run("optimize", "--space", space.toString(), "--command",
                "read c; case \"$c\" in *'\"b\"'*) echo '{\"score\": 2}';; *) echo '{\"score\": 1}';; esac",
                "--outcome", "score", "--maximize", "--optimizer", "random", "--evals", "12", "--workers", "2",
                "--csv", csv.toString())).as(errors()).isZero();

        Matcher m = summary();
        assertThat(m.group(1)).isEqualTo("score");
        assertThat(m.group(2)).isEqualTo("2.0");
        assertThat(Files.readAllLines(csv)).hasSize(13).first().asString().contains("x,kind,score");
    }

    @Test
    void resumeOnRedis_continuesUpToTheNewTotal() {
        String[] common = {"optimize", "--problem", "branin", "--design", "5", "--store", TestRedis.url(),
            "--network", "cli-resume", "--workers", "2"};
        assertThat(Main.run(concat(common, "--evals", "15"))).isZero();
        assertThat(summary().group(3)).isEqualTo("15");
        out.reset();

        assertThat(Main.run(concat(common, "--evals", "25", "--resume"))).isZero();

        assertThat(output()).contains("resuming 15 evaluations");
        assertThat(summary().group(3)).isEqualTo("25");
    }

    @Test
    void badArguments_sayWhatIsWrong() {
        assertThat(Main.run("optimize", "--space", "nope.json")).isEqualTo(2);
        assertThat(errors()).contains("--space needs --command");
        err.reset();
        assertThat(Main.run("optimize", "--problem", "branin", "--optimizer", "tpe")).isEqualTo(2);
        assertThat(errors()).contains("--optimizer must be random, adbo, cbo, asha or hyperband");
        err.reset();
        assertThat(Main.run("optimize", "--problem", "levy")).isEqualTo(2);
        assertThat(errors()).contains("unknown problem 'levy'");
        err.reset();
        assertThat(Main.run("optimize", "--problem", "branin", "--processes", "2")).isEqualTo(1);
        assertThat(errors()).contains("memory store lives in this JVM");
        err.reset();
        assertThat(Main.run("optimize", "--problem", "branin", "--processes", "3", "--workers", "2")).isEqualTo(2);
        assertThat(errors()).contains("--workers 2 is fewer than --processes 3");
    }

    @Test
    void workersSpreadOverFewerProcesses_allTakePart() throws Exception {
        assertThat(Main.run("optimize", "--problem", "branin", "--optimizer", "random", "--evals", "60",
                "--processes", "2", "--workers", "5", "--delay", "0.05", "--store", TestRedis.url(),
                "--network", "cli-spread")).as(errors()).isZero();
        Matcher m = summary();
        assertThat(m.group(3)).isEqualTo("60");
        assertThat(m.group(4)).isEqualTo("5");
        assertThat(output()).contains("5 workers in 2 processes");
        try (Store store = RedisStore.open(TestRedis.url());
             Controller c = Network.open(store, "cli-spread").controller()) {
            Map<Long, Long> workersPerProcess = c.workers().stream()
                    .collect(Collectors.groupingBy(WorkerInfo::pid, Collectors.counting()));
            assertThat(workersPerProcess.values()).containsExactlyInAnyOrder(3L, 2L);
        }
    }

    @Test
    void storeGonePastTheOutageLimit_exitsNonZeroSayingWhyAndKeepsTheResultsSoFar(@TempDir Path dir)
            throws Exception {
        try (TestRedis.Server server = TestRedis.start()) {
            String url = server.url() + "?timeout=500&retry=500&connectTimeout=300";
            Thread stopper = Thread.ofVirtual().start(() -> {
                try (Store store = RedisStore.open(server.url())) {
                    Archive archive = Network.open(store, "cli-outage").archive();
                    while (archive.size() < 20) {
                        archive.await(Duration.ofSeconds(1));
                    }
                } catch (InterruptedException e) {
                    return;
                }
                server.stop();
            });
            Path csv = dir.resolve("evals.csv");

            int code = Main.run("optimize", "--problem", "branin", "--optimizer", "random", "--evals", "400",
                    "--delay", "0.05", "--processes", "2", "--store", url, "--network", "cli-outage",
                    "--outage-limit", "2s", "--csv", csv.toString());

            stopper.join();
            assertThat(code).as(output() + errors()).isEqualTo(1);
            assertThat(errors()).contains("the run ended short of 400 evaluations")
                    .contains("the store " + server.url() + " was unreachable for")
                    .contains("longer than the outage limit of 2.0 s");
            long done = Long.parseLong(summary().group(3));
            assertThat(done).as("the evaluations read before the store went away").isBetween(1L, 399L);
            assertThat(Files.readAllLines(csv)).hasSize((int) done + 1);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
