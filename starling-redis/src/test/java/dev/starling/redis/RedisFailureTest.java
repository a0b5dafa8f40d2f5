package dev.starling.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.StarlingException;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.TaskError;
import dev.starling.TaskState;
import dev.starling.WorkerOptions;
import dev.starling.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/** Bad input and bad weather on a real Redis: each gives a clear error, and no task is lost or applied twice. */
@Timeout(120)
class RedisFailureTest {
    private static final WorkerOptions FAST = WorkerOptions.builder()
            .heartbeatPeriod(Duration.ofMillis(200)).pollTimeout(Duration.ofMillis(50)).build();

    record Point(double x) {
    }

    @Test
    void malformedStoredPayload_failsThatTaskWithInvalidInputAndTheWorkerGoesOn() throws Exception {
        try (Store store = RedisStore.open(TestRedis.url());
             Controller c = Network.builder(store, "malformed").create().controller();
             RedisClient raw = RedisClient.create(java.net.URI.create(TestRedis.url()))) {
            List<Long> ids = c.push(List.of(Map.of("x", 1.0), Map.of("x", 2.0), Map.of("x", 3.0)));
            StoredTask.edit(raw, "malformed", ids.get(1), "xs", "{\"x\": 2.0,,");

            c.startWorkers(1, task -> Map.of("y", task.xs(Point.class).x()), FAST);

            assertThat(c.await(ids, Duration.ofSeconds(30))).isTrue();
            Task bad = c.task(ids.get(1)).orElseThrow();
            assertThat(bad.state()).isEqualTo(TaskState.FAILED);
            assertThat(bad.error().kind()).isEqualTo(TaskError.Kind.INVALID_INPUT);
            assertThat(bad.error().message()).contains("inputs of task " + ids.get(1));
            assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 2, 1));
        }
    }

    @Test
    void unreachableRedis_saysWhereAndWhatToDo() {
        assertThatThrownBy(() -> RedisStore.open("redis://127.0.0.1:1?connectTimeout=500"))
                .isInstanceOf(StarlingException.class)
                .hasMessageContaining("cannot reach Redis at redis://127.0.0.1:1")
                .hasMessageContaining("start the server");
    }

    @Test
    void badUrls_areRejectedWithTheReason() {
        assertThatThrownBy(() -> Store.open("redis://localhost:6379/zero"))
                .isInstanceOf(StarlingException.class).hasMessageContaining("database 'zero'");
        assertThatThrownBy(() -> Store.open("redis://localhost:6379?pool=-1"))
                .isInstanceOf(StarlingException.class).hasMessageContaining("pool must be a positive integer");
        assertThatThrownBy(() -> Store.open("redis://localhost:6379?colour=blue"))
                .isInstanceOf(StarlingException.class).hasMessageContaining("unknown parameters [colour]");
    }

    @Test
    void wrongPasswordOrUser_isRefusedWithAHintAndNoPasswordLeaks() {
        try (TestRedis.Server server = TestRedis.start("--requirepass", "s3cret")) {
            String base = "127.0.0.1:" + server.port();
            assertThatThrownBy(() -> RedisStore.open("redis://:wrong@" + base))
                    .isInstanceOf(StarlingException.class)
                    .hasMessageContaining("refused the credentials")
                    .hasMessageContaining("check the user and password")
                    .hasMessageNotContaining("wrong");
            assertThatThrownBy(() -> RedisStore.open("redis://" + base))
                    .isInstanceOf(StarlingException.class).hasMessageContaining("refused the credentials");
            assertThatThrownBy(() -> RedisStore.open("redis://mallory:s3cret@" + base))
                    .isInstanceOf(StarlingException.class).hasMessageContaining("refused the credentials");
            try (RedisStore store = RedisStore.open("redis://:s3cret@" + base)) {
                assertThat(store.location()).isEqualTo("redis://:***@" + base).doesNotContain("s3cret");
                assertThat(store.url()).contains("s3cret");
            }
        }
    }

    @Test
    void redisRestartedMidRun_workersRetryAndEveryTaskFinishesExactlyOnce() throws Exception {
        try (TestRedis.Server server = TestRedis.start("--appendonly", "yes", "--appendfsync", "always");
             Store store = RedisStore.open(server.url());
             Controller c = Network.builder(store, "restart").create().controller()) {
            // Default heartbeat (1 s, expiry 3 s): a brief restart must not make the workers count as lost.
            c.startWorkers(2, task -> {
                Thread.sleep(2);
                return Map.of("y", 1);
            }, WorkerOptions.builder().pollTimeout(Duration.ofMillis(50)).build());
            List<Long> ids = c.push(IntStream.range(0, 400).mapToObj(i -> Map.of("i", i)).toList());
            while (c.counts().finished() < 50) {
                Thread.sleep(10);
            }

            server.stop();
            Thread.sleep(500);
            server.start();

            assertThat(c.await(ids, Duration.ofSeconds(60))).isTrue();
            List<Task> completed = c.completed();
            assertThat(completed).extracting(Task::id).doesNotHaveDuplicates().hasSize(400);
            assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 400, 0));
            assertThat(c.workers()).extracting(w -> w.state()).containsOnly(dev.starling.WorkerState.RUNNING);
        }
    }

    @Test
    void networkMissingInRedis_isAClearError() {
        try (Store store = RedisStore.open(TestRedis.url())) {
            assertThatThrownBy(() -> Network.join(store, "never-created"))
                    .isInstanceOf(StarlingException.class)
                    .hasMessageContaining("network 'never-created' does not exist");
        }
    }
}
