package dev.starling.benchmarks;

import dev.starling.NetworkSettings;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.spi.Lease;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.StoreBackend;
import dev.starling.spi.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory store's task cycles, through the store SPI: push + claim + finish (a queue loop's cycle, with the push a
 * controller would do) and push-running + finish (a free loop's cycle), on one thread and on two. A fresh network per
 * iteration keeps the task table from growing across iterations.
 *
 * <p>Run: {@code ./mvnw -q -pl starling-benchmarks -am package -DskipTests && java -cp
 * "starling-benchmarks/target/starling-benchmarks.jar:starling-benchmarks/target/lib/*" org.openjdk.jmh.Main
 * MemoryStoreBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class MemoryStoreBenchmark {
    private static final List<String> ONE_EMPTY = List.of("{}");
    private static final Duration NO_WAIT = Duration.ZERO;

    private final AtomicInteger workerIds = new AtomicInteger();
    private Store store;
    private NetworkStore network;
    private TaskStore tasks;

    /** One registered worker per benchmark thread. */
    @State(Scope.Thread)
    public static class WorkerId {
        String id;

        @Setup(Level.Iteration)
        public void register(MemoryStoreBenchmark bench) {
            id = "w" + bench.workerIds.incrementAndGet();
            bench.network.workers().register(id, "bench", 1, Duration.ofMinutes(10));
        }
    }

    @Setup(Level.Iteration)
    public void freshNetwork() {
        store = Store.memory();
        network = StoreBackend.of(store).network("bench");
        network.create(NetworkSettings.defaults());
        tasks = network.tasks();
    }

    @TearDown(Level.Iteration)
    public void close() {
        store.close();
    }

    @Benchmark
    public boolean pushClaimFinish(WorkerId worker) throws InterruptedException {
        tasks.push(ONE_EMPTY);
        Task task = tasks.claim(worker.id, NO_WAIT).orElseThrow();
        return tasks.finish(Lease.of(task), "{}");
    }

    @Benchmark
    @Threads(2)
    public boolean pushClaimFinish2Threads(WorkerId worker) throws InterruptedException {
        return pushClaimFinish(worker);
    }

    @Benchmark
    public boolean pushRunningFinish(WorkerId worker) {
        Task task = tasks.pushRunning(worker.id, "{}").orElseThrow();
        return tasks.finish(Lease.of(task), "{}");
    }

    @Benchmark
    @Threads(2)
    public boolean pushRunningFinish2Threads(WorkerId worker) {
        return pushRunningFinish(worker);
    }
}
