package dev.starling.benchmarks;

import dev.starling.NetworkSettings;
import dev.starling.Task;
import dev.starling.redis.RedisStore;
import dev.starling.spi.Lease;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.StoreBackend;
import dev.starling.spi.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Redis store's task cycles on one thread, next to a PING in the same run (the physical floor): a free loop's
 * push-running + finish-and-claim, and a queue loop's finish-and-claim with the push a controller does. Needs a
 * Redis at {@code REDIS_URL} (default redis://127.0.0.1:6379).
 *
 * <p>Run: {@code ./mvnw -q -pl starling-benchmarks -am package -DskipTests && REDIS_URL=redis://127.0.0.1:6379 java
 * -cp "starling-benchmarks/target/starling-benchmarks.jar:starling-benchmarks/target/lib/*" org.openjdk.jmh.Main
 * RedisStoreBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class RedisStoreBenchmark {
    private static final List<String> ONE_EMPTY = List.of("{}");

    private RedisStore store;
    private NetworkStore network;
    private TaskStore tasks;

    @Setup(Level.Iteration)
    public void freshNetwork() {
        store = RedisStore.open(System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"));
        network = StoreBackend.of(store).network("jmh");
        network.create(NetworkSettings.defaults());
        network.workers().register("w", "bench", 1, Duration.ofMinutes(10));
        tasks = network.tasks();
    }

    @TearDown(Level.Iteration)
    public void close() {
        network.delete();
        store.close();
    }

    @Benchmark
    public Duration ping() {
        return store.medianPing(1);
    }

    @Benchmark
    public boolean freeCycle() throws InterruptedException {
        Task task = tasks.pushRunning("w", "{}").orElseThrow();
        return tasks.finishAndClaim(List.of(new TaskStore.Finish(Lease.of(task), "{}")), "w", 1, Duration.ZERO)
                .lost().isEmpty();
    }

    @Benchmark
    public boolean queueCycle() throws InterruptedException {
        tasks.push(ONE_EMPTY);
        Task task = tasks.claim("w", Duration.ZERO).orElseThrow();
        return tasks.finish(Lease.of(task), "{}");
    }
}
