package dev.starling.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.StoreUnavailableException;
import dev.starling.TaskCounts;
import dev.starling.Task;
import dev.starling.spi.TaskStore;
import dev.starling.testkit.FaultyProxy;
import dev.starling.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests that reach Redis late: a copy that sat in a network buffer, or in the socket of a client that timed out,
 * retried and moved on, is read after the client's newer requests. The scripts number a worker's claims and creations
 * so that such a copy changes nothing, while a retry of the newest one gets its first answer again. (Regression: the
 * proxy fault test once left three tasks RUNNING for good under live workers, claimed by late copies.)
 */
@Timeout(60)
class RedisLateRequestTest {
    private TestRedis.Server redis;
    private Store store;
    private Controller controller;
    private RedisNetworkStore network;

    @BeforeEach
    void open() {
        redis = TestRedis.start();
        store = Store.open(redis.url());
        controller = Network.builder(store, "late").create().controller();
        network = (RedisNetworkStore) ((RedisStore) store).network("late");
    }

    @AfterEach
    void close() {
        controller.close();
        store.close();
        redis.close();
    }

    @Test
    void aLateCopyOfAnOlderClaim_claimsNothing_andARetryOfTheNewestGetsItsTasksBack() {
        controller.push(List.of(Map.of("x", 1), Map.of("x", 2)));
        network.workers().register("w", "host", 1, Duration.ofMinutes(1));

        assertThat(claim("w", 20)).containsExactly(1L);
        assertThat(claim("w", 30)).containsExactly(2L);
        assertThat(claim("w", 25)).as("late copy of an older claim").isEmpty();
        assertThat(claim("w", 30)).as("retry of the newest claim").containsExactly(2L);
        assertThat(claim("w", 40)).as("nothing queued").isEmpty();
        controller.push(Map.of("x", 3));
        assertThat(claim("w", 35)).as("late copy, older than a claim that found nothing").isEmpty();

        assertThat(controller.counts()).isEqualTo(new TaskCounts(1, 2, 0, 0));
    }

    @Test
    void aLateCopyOfAnOlderCreation_createsNothing_andARetryOfTheNewestGetsItsTaskBack() {
        network.workers().register("f", "host", 1, Duration.ofMinutes(1));

        long first = create("f", 20);
        long second = create("f", 30);
        assertThat(second).isGreaterThan(first);
        assertThat(create("f", 25)).as("late copy of an older creation").isEqualTo(-2);
        assertThat(create("f", 30)).as("retry of the newest creation").isEqualTo(second);

        assertThat(controller.counts()).isEqualTo(new TaskCounts(0, 2, 0, 0));
    }

    @Test
    void aLateCopyOfAnOlderHeartbeat_leavesTheNewerOne() {
        network.workers().register("h", "host", 1, Duration.ofMinutes(1));
        Instant newer = Instant.parse("2030-01-01T00:00:02Z");

        network.script("heartbeat", List.of("h", Codec.micros(newer)));
        network.script("heartbeat", List.of("h", Codec.micros(newer.minusSeconds(1))));

        assertThat(network.workers().get("h").orElseThrow().lastHeartbeat()).isEqualTo(newer);
    }

    @Test
    void aClaimWhoseAnswerWasLost_isRepeatedByTheNextClaim_whichHandsBackItsTasks() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(redis.port());
             RedisStore through = RedisStore.open("redis://127.0.0.1:" + proxy.port() + "?timeout=300&retry=1")) {
            TaskStore tasks = through.network("late").tasks();
            through.network("late").workers().register("w", "host", 1, Duration.ofMinutes(1));
            assertThat(tasks.claim("w", 1, Duration.ZERO)).as("nothing queued yet").isEmpty();
            controller.push(List.of(Map.of("x", 1), Map.of("x", 2)));
            proxy.blackHole(true);
            assertThatThrownBy(() -> tasks.claim("w", 1, Duration.ZERO)).isInstanceOf(StoreUnavailableException.class);
            proxy.blackHole(false);
            // The claim that went unanswered reaches Redis now and takes task 1.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (controller.counts().running() == 0) {
                assertThat(System.nanoTime()).as("the held claim reached Redis").isLessThan(deadline);
                Thread.onSpinWait();
            }

            assertThat(tasks.claim("w", 1, Duration.ZERO)).extracting(Task::id).containsExactly(1L);
            assertThat(controller.counts()).isEqualTo(new TaskCounts(1, 1, 0, 0));
        }
    }

    /** The ids a claim of one task numbered {@code number} by worker {@code w} took. */
    private List<Long> claim(String w, long number) {
        List<?> fields = (List<?>) network.script("claim", List.of(),
                List.of(w, network.now(), Long.toString(number), "1"));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < fields.size(); i += Codec.TASK_WIDTH) {
            ids.add(RedisNetworkStore.number(fields.get(i)));
        }
        return ids;
    }

    private long create(String w, long number) {
        return RedisNetworkStore.number(network.script("push_running",
                List.of(w, network.now(), "{}", Long.toString(number))));
    }
}
