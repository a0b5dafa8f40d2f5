package dev.starling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only the system scheduler can show; the runtime's behaviour on every store is {@code RuntimeContract} in
 * starling-testkit, on a manual scheduler.
 */
@Timeout(60)
class WorkerRuntimeTest {

    @Test
    void cpuBoundLoopsOnVirtualThreads_keepTheirHeartbeat() throws Exception {
        // Regression: with heartbeats on virtual threads, more spinning workers than cores starved them and the
        // network declared the workers lost. Heartbeats run on the system scheduler's platform threads.
        int workers = Runtime.getRuntime().availableProcessors() * 2;
        WorkerOptions fast = WorkerOptions.builder().heartbeatPeriod(Duration.ofMillis(50))
                .pollTimeout(Duration.ofMillis(20)).build();
        try (Store store = Store.memory();
             Controller c = Network.builder(store, "spin").budget(workers * 2L).create().controller()) {
            c.startWorkers(workers, FreeLoop.of(w -> {
                long until = System.nanoTime() + 400_000_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return Map.of("x", 1);
            }, task -> Map.of("y", 1)), fast);

            assertThat(c.awaitWorkers(Duration.ofSeconds(20))).isTrue();

            assertThat(c.workers()).extracting(WorkerInfo::state).containsOnly(WorkerState.TERMINATED);
            assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, workers * 2L, 0));
        }
    }
}
