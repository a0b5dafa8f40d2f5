package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.WorkerOptions;
import dev.starling.WorkerProcess;
import dev.starling.testkit.TestRedis;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A password in the store URL never shows: not in {@code location()} or {@code toString()}, not in the command
 * lines of worker processes or the command printed for other machines, not in their logs or this process's output,
 * and not in the errors of a wrong password or an unreachable server.
 */
@Timeout(120)
class SecretsTest extends ConsoleTest {
    private static final String SECRET = "Sekr3t-do-not-print";

    @Test
    void aPasswordInTheStoreUrl_appearsNowhere() throws Exception {
        try (TestRedis.Server redis = TestRedis.start("--requirepass", SECRET)) {
            String url = "redis://:" + SECRET + "@127.0.0.1:" + redis.port();
            try (Store store = Store.open(url);
                 Controller c = Network.builder(store, "secrets").create().controller()) {
                assertThat(store.location()).doesNotContain(SECRET).contains("***");
                assertThat(store.toString()).doesNotContain(SECRET);
                assertThat(c.workerCommand(SlowSquare.class, WorkerOptions.defaults())).doesNotContain(SECRET);

                List<Long> ids = c.push(IntStream.range(0, 20).mapToObj(i -> Map.of("x", (double) i)).toList());
                List<WorkerProcess> processes = c.startProcesses(2, SlowSquare.class, WorkerOptions.defaults());
                assertThat(c.await(ids, Duration.ofSeconds(60))).isTrue();
                for (WorkerProcess p : processes) {
                    String commandLine = ProcessHandle.of(p.pid()).flatMap(h -> h.info().commandLine()).orElse("");
                    assertThat(commandLine).as("command line of %s", p).isNotEmpty().doesNotContain(SECRET);
                }
                c.terminateWorkers();
                assertThat(c.awaitWorkers(Duration.ofSeconds(30))).isTrue();
                for (WorkerProcess p : processes) {
                    assertThat(Files.readString(p.log())).as("log of %s", p).doesNotContain(SECRET);
                }
            }
            assertThatThrownBy(() -> Store.open("redis://:wrong-" + SECRET + "@127.0.0.1:" + redis.port()))
                    .satisfies(e -> assertThat(e.toString()).doesNotContain(SECRET));
        }
        assertThatThrownBy(() -> Store.open("redis://user:" + SECRET + "@127.0.0.1:1"))
                .satisfies(e -> assertThat(e.toString()).doesNotContain(SECRET));
        assertThatThrownBy(() -> Store.open("redis://user:" + SECRET + "@127.0.0.1:1/notadb"))
                .satisfies(e -> assertThat(e.toString()).doesNotContain(SECRET));
        assertThat(output() + errors()).doesNotContain(SECRET);
    }
}
