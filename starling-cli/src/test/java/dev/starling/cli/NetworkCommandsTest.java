package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.QueueLoop;
import dev.starling.Store;
import dev.starling.TaskState;
import dev.starling.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** status, networks, tasks, logs and delete against a network that real workers ran on a real Redis. */
@Timeout(120)
class NetworkCommandsTest extends ConsoleTest {
    /** A name with the separator of Redis keys in it, and every other kind of character a name may hold. */
    private static final String NAME = "cmds:a.b_c-1";
    private Store store;

    @BeforeEach
    void runANetwork() throws Exception {
        store = Store.open(TestRedis.url());
        Network network = Network.builder(store, NAME).seed(1).create();
        try (Controller controller = network.controller()) {
            controller.push(List.of(Map.of("x", 1), Map.of("x", 2), Map.of("x", 3)));
            controller.startWorkers(2, (QueueLoop) task -> {
                int x = ((Number) task.xs().get("x")).intValue();
                if (x == 2) {
                    throw new IllegalStateException("two is refused");
                }
                return Map.of("y", x * x);
            });
            assertThat(controller.awaitAll(Duration.ofSeconds(30))).isTrue();
        }
    }

    @AfterEach
    void deleteIt() {
        if (store.networks().contains(NAME)) {
            Network.join(store, NAME).delete();
        }
        store.close();
    }

    @Test
    void status_showsCountsAndEveryWorker_networksOneLineEach() {
        assertThat(Main.run("status", "--store", TestRedis.url(), "--network", NAME)).as(errors()).isZero();

        assertThat(output()).contains("network " + NAME).contains("queued 0, running 0, finished 2, failed 1")
                .contains("workers: 0 alive, 0 lost, 2 in all").containsPattern("TERMINATED .* -\\s+\\d+");
        out.reset();

        assertThat(Main.run("networks", "--store", TestRedis.url())).as(errors()).isZero();
        assertThat(output()).contains(NAME + ": queued 0, running 0, finished 2, failed 1, cancelled 0");
        out.reset();

        assertThat(Main.run("status", "--store", TestRedis.url(), "--network", NAME, "--watch", "--interval",
                "10ms", "--updates", "3")).as(errors()).isZero();
        assertThat(output().split("network " + java.util.regex.Pattern.quote(NAME), -1)).hasSize(4);
    }

    @Test
    void status_ofAnOptimization_showsItsBestValue() {
        assertThat(Main.run("optimize", "--problem", "branin", "--optimizer", "random", "--evals", "12",
                "--workers", "2", "--store", TestRedis.url(), "--network", "cmds-optimized")).as(errors()).isZero();
        out.reset();

        assertThat(Main.run("status", "--store", TestRedis.url(), "--network", "cmds-optimized")).as(errors())
                .isZero();

        assertThat(output()).contains("finished 12").containsPattern("best y=\\S+ \\(evaluation \\d+ by \\S+\\)");
        Network.join(store, "cmds-optimized").delete();
    }

    @Test
    void tasks_listsThemInEveryFormat_andFiltersByState() {
        assertThat(Main.run("tasks", "--store", TestRedis.url(), "--network", NAME, "--state", "failed",
                "--format", "jsonl")).as(errors()).isZero();
        List<String> lines = output().lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).contains("\"state\":\"FAILED\"").contains("\"xs\":{\"x\":2}")
                .contains("two is refused");
        out.reset();

        assertThat(Main.run("tasks", "--store", TestRedis.url(), "--network", NAME, "--format", "csv"))
                .as(errors()).isZero();
        assertThat(output().lines().toList()).hasSize(4).first().asString().startsWith("id,state,worker");
        out.reset();

        assertThat(Main.run("tasks", "--store", TestRedis.url(), "--network", NAME, "--limit", "2"))
                .as(errors()).isZero();
        assertThat(output()).contains("2 task(s)").contains("{\"y\":9}").doesNotContain("{\"x\":1}");
    }

    @Test
    void logs_showEveryWorkersEvents_orOneWorkers() {
        String worker = Network.join(store, NAME).workers().getFirst().id();

        assertThat(Main.run("logs", "--store", TestRedis.url(), "--network", NAME)).as(errors()).isZero();
        assertThat(output()).contains("started: queue loop").contains("stopped:");
        long both = output().lines().filter(l -> l.contains("started:")).count();
        assertThat(both).isEqualTo(2);
        out.reset();

        assertThat(Main.run("logs", "--store", TestRedis.url(), "--network", NAME, "--worker", worker))
                .as(errors()).isZero();
        assertThat(output().lines().filter(l -> l.contains("started:")).count()).isEqualTo(1);
        assertThat(output().lines()).allMatch(l -> l.contains("[" + worker + "]"));
    }

    @Test
    void delete_asksFirst_andWithYesDeletesOnlyThatNetwork() {
        Network.builder(store, NAME + "b").create();
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(Main.run("delete", "--store", TestRedis.url(), "--network", NAME)).isEqualTo(1);
        } finally {
            System.setIn(stdin);
        }
        assertThat(output()).contains("Delete network '" + NAME + "'").contains("(3 tasks, 0 workers alive)");
        assertThat(store.networks()).contains(NAME);

        assertThat(Main.run("delete", "--store", TestRedis.url(), "--network", NAME, "--yes")).isZero();

        assertThat(store.networks()).doesNotContain(NAME).contains(NAME + "b");
        Network.join(store, NAME + "b").delete();
    }

    @Test
    void plot_drawsTheTaskStreamWithTheFailedTaskInRed_andTheProgress(@org.junit.jupiter.api.io.TempDir
                                                                       java.nio.file.Path dir) throws Exception {
        java.nio.file.Path stream = dir.resolve("stream.png");
        java.nio.file.Path progress = dir.resolve("progress.png");

        assertThat(Main.run("plot", "--store", TestRedis.url(), "--network", NAME, stream.toString()))
                .as(errors()).isZero();
        assertThat(Main.run("plot", "--store", TestRedis.url(), "--network", NAME, "--kind", "progress",
                progress.toString())).as(errors()).isZero();

        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(stream.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(countOf(image, 0xd62728)).as("red pixels of the failed task").isPositive();
        assertThat(countOf(image, 0x1f77b4)).as("blue pixels of the finished tasks").isPositive();
        assertThat(javax.imageio.ImageIO.read(progress.toFile()).getWidth()).isEqualTo(900);
        assertThat(Main.run("plot", "--store", TestRedis.url(), "--network", NAME, "--kind", "pie",
                stream.toString())).isEqualTo(2);
        assertThat(errors()).contains("--kind must be stream or progress");
    }

    private static long countOf(java.awt.image.BufferedImage image, int rgb) {
        long n = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                n += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void badInput_isAUsageErrorThatSaysWhatToDo() {
        assertThat(Main.run("status", "--store", "memory")).isEqualTo(2);
        assertThat(errors()).contains("give the shared store the network runs on");
        assertThat(Main.run("status", "--store", TestRedis.url(), "--network", "nosuch")).isEqualTo(2);
        assertThat(errors()).contains("there is no network 'nosuch'").contains(NAME);
        assertThat(Main.run("tasks", "--store", TestRedis.url(), "--network", NAME, "--state", "done"))
                .isEqualTo(2);
        assertThat(errors()).contains("--state must be queued, running, finished, failed or cancelled");
        assertThat(Main.run("logs", "--store", TestRedis.url(), "--network", NAME, "--worker", "w-none"))
                .isEqualTo(2);
        assertThat(errors()).contains("has no worker 'w-none'");
        assertThat(Network.join(store, NAME).counts().total()).isEqualTo(3);
        assertThat(Network.join(store, NAME).tasks(TaskState.FAILED)).hasSize(1);
    }
}
