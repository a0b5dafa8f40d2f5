package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.WorkerOptions;
import dev.starling.WorkerProcess;
import dev.starling.testkit.TestTls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Worker processes on a mutual-TLS Redis: they get the same TLS settings as the controller (the URL names the
 * certificate files, and reaches them in the environment, as the whole store URL does), not on their command line.
 */
@Timeout(120)
class TlsProcessTest {
    @Test
    void workerProcesses_connectWithTheControllersTlsSettings_givenInTheirEnvironment() throws Exception {
        TestTls.Certificates certs = TestTls.certificates();
        try (TestTls.Server server = TestTls.start(certs, true)) {
            String url = server.url() + "?cacert=" + certs.ca() + "&cert=" + certs.clientCert() + "&key="
                    + certs.clientKey();
            try (Store store = Store.open(url);
                 Controller c = Network.builder(store, "tls-processes").create().controller()) {
                List<Long> ids = c.push(IntStream.range(0, 40).mapToObj(i -> Map.of("x", (double) i)).toList());
                List<WorkerProcess> processes = c.startProcesses(2, SlowSquare.class, WorkerOptions.defaults());
                assertThat(c.await(ids, Duration.ofSeconds(60))).isTrue();
                assertThat(c.finished()).extracting(Task::ys).allSatisfy(ys -> assertThat(ys).containsKey("pid"));
                assertThat(c.finished().stream().map(t -> t.ys().get("pid")).distinct().count())
                        .as("both processes worked").isEqualTo(2);
                for (WorkerProcess p : processes) {
                    String commandLine = ProcessHandle.of(p.pid()).flatMap(h -> h.info().commandLine()).orElse("");
                    assertThat(commandLine).doesNotContain("cacert").doesNotContain("rediss://");
                }
            }
        }
    }
}
