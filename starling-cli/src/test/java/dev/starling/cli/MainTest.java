package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The starling command, run in this JVM with its output captured. */
class MainTest extends ConsoleTest {
    private static final Pattern DEMO_LINE = Pattern.compile(
            "best y=(\\S+) x1=(\\S+) x2=(\\S+) evaluations=(\\d+) workers=(\\d+)");
    private static final Pattern BENCH_LINE = Pattern.compile(
            "mode=(\\w+) workers=(\\d+) tasks=(\\d+) tasks_per_s=(\\d+) us_per_task=([0-9.]+)");

    @Test
    void demo_endsWithTheMachineReadableLineAndFindsTheBraninMinimum() {
        assertThat(Main.run("demo", "--workers", "4", "--evals", "2000", "--seed", "3")).isZero();

        Matcher m = DEMO_LINE.matcher(lastLine());
        assertThat(m.matches()).as(lastLine()).isTrue();
        double y = Double.parseDouble(m.group(1));
        double x1 = Double.parseDouble(m.group(2));
        double x2 = Double.parseDouble(m.group(3));
        assertThat(y).isBetween(BraninSearch.MINIMUM, 0.5);
        assertThat(BraninSearch.branin(x1, x2)).isEqualTo(y, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(x1).isBetween(-5.0, 10.0);
        assertThat(x2).isBetween(0.0, 15.0);
        assertThat(m.group(4)).isEqualTo("2000");
        assertThat(m.group(5)).isEqualTo("4");
    }

    @Test
    void demo_withOneWorker_isReproducibleForTheSameSeed() {
        assertThat(Main.run("demo", "--workers", "1", "--evals", "300", "--seed", "11")).isZero();
        String first = lastLine();
        out.reset();
        assertThat(Main.run("demo", "--workers", "1", "--evals", "300", "--seed", "11")).isZero();

        assertThat(lastLine()).isEqualTo(first);
    }

    @Test
    void badArguments_giveAOneLineErrorTheUsageAndExitCode2() {
        assertThat(Main.run("demo", "--workers", "zero")).isEqualTo(2);
        String error = errors();
        assertThat(error.lines().findFirst().orElseThrow()).contains("--workers").contains("zero");
        assertThat(error).contains("Usage: starling demo");

        err.reset();
        assertThat(Main.run("demo", "--evals", "0")).isEqualTo(2);
        assertThat(errors()).startsWith("--evals must be at least 1");

        err.reset();
        assertThat(Main.run("demo", "--frobnicate")).isEqualTo(2);
        assertThat(errors()).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void unknownStore_isAClearErrorWithExitCode1() {
        assertThat(Main.run("demo", "--store", "cassandra://x")).isEqualTo(1);
        assertThat(errors()).contains("no store for scheme 'cassandra'");
    }

    @Test
    void worker_withAnUnknownLoopClass_saysSoAndExits1() {
        assertThat(Main.run("worker", "--store", dev.starling.testkit.TestRedis.url(), "--network", "x",
                "--loop", "com.example.Nope")).isEqualTo(1);
        assertThat(errors()).contains("worker loop class 'com.example.Nope' is not on"
                + " this worker's class path");
    }

    @Test
    void worker_ofAMissingNetwork_saysSoAndExits1() {
        assertThat(Main.run("worker", "--store", dev.starling.testkit.TestRedis.url(), "--network", "absent",
                "--loop", SlowSquare.class.getName())).isEqualTo(1);
        assertThat(errors()).contains("network 'absent' does not exist");
    }

    @Test
    void demo_withWorkerProcessesOnRedis_endsWithTheSameLine() {
        assertThat(Main.run("demo", "--store", dev.starling.testkit.TestRedis.url(), "--processes", "4",
                "--evals", "500")).isZero();

        Matcher m = DEMO_LINE.matcher(lastLine());
        assertThat(m.matches()).as(lastLine()).isTrue();
        assertThat(m.group(4)).isEqualTo("500");
        assertThat(m.group(5)).isEqualTo("4");
    }

    @Test
    void benchOnRedis_reportsRoundTrips() {
        assertThat(Main.run("bench", "--store", dev.starling.testkit.TestRedis.url(), "--workers", "1",
                "--tasks", "2000", "--mode", "free")).isZero();
        assertThat(lastLine()).matches("mode=free workers=1 tasks=2000 tasks_per_s=\\d+ us_per_task=[0-9.]+"
                + " rtt_us=[0-9.]+ overhead_rtts=[0-9.]+ rtt_idle_us=[0-9.]+");
    }

    @Test
    void bench_reportsThroughputInItsLastLine() {
        for (String mode : new String[] {"queue", "free"}) {
            out.reset();
            assertThat(Main.run("bench", "--workers", "2", "--tasks", "20000", "--mode", mode)).isZero();
            Matcher m = BENCH_LINE.matcher(lastLine());
            assertThat(m.matches()).as(lastLine()).isTrue();
            assertThat(m.group(1)).isEqualTo(mode);
            assertThat(m.group(3)).isEqualTo("20000");
            assertThat(Long.parseLong(m.group(4))).isPositive();
        }
    }
}
