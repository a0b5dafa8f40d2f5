package dev.starling.cli;

import dev.starling.Archive;
import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.TaskCounts;
import dev.starling.WorkerLoop;
import dev.starling.WorkerOptions;
import dev.starling.algorithms.History;
import dev.starling.algorithms.Iteration;
import dev.starling.algorithms.IterationFunctions;
import dev.starling.algorithms.Stop;
import dev.starling.futures.Futures;
import dev.starling.futures.TaskFuture;
import dev.starling.internal.Json;
import dev.starling.redis.RedisStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Measures the coordination cost of no-op tasks, end to end. Queue mode: the workers start, then N empty tasks are
 * pushed in batches while they claim and finish them; the clock runs from the first push until the last task is
 * FINISHED. Free mode: W workers create and finish N tasks themselves under a budget of N; the clock runs from the
 * moment all workers are registered until the last task is FINISHED, counting the tasks finished in that window.
 * Fetch mode: N finished tasks, then the time of a cold incremental read of all of them and of a read after one new
 * task. {@code us_per_task} is wall-clock time per task (1e6 / tasks_per_s). On Redis, {@code rtt_us} is the median
 * PING round trip measured in the same run, while the workers run (every 20 ms the controller sends 5 PINGs), and
 * {@code overhead_rtts} = us_per_task / rtt_us; {@code rtt_idle_us} is the median of 2,000 PINGs in a tight loop
 * afterwards. The two differ on small virtual machines, where a round trip between busy processes on different
 * cores costs several times one between processes that take turns on one core.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure no-op task throughput through a store (queue or free loops), or incremental fetch.")
final class BenchCommand implements Callable<Integer> {
    enum Mode { queue, free, fetch, map, latency, codec, iterate }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--store", defaultValue = "memory", description = "store location (default: ${DEFAULT-VALUE})")
    private String store;

    @CommandLine.Mixin
    private Placement placement;

    /** Workers in all (default 2), and worker processes to spread them over (0: threads). */
    private int workers;
    private int processCount;

    @Option(names = "--tasks", defaultValue = "1000000", description = "no-op tasks (default: ${DEFAULT-VALUE})")
    private int tasks;

    @Option(names = "--mode", defaultValue = "queue", description = "queue, free, fetch, map (futures), latency (one future at a time), codec (numeric"
                    + " arrays as JSON text and in binary form) or iterate (the iteration framework's overhead per"
                    + " answer) (default: ${DEFAULT-VALUE})")
    private Mode mode;


    @Option(names = "--batch", defaultValue = "10000",
            description = "tasks per push in queue mode (default: ${DEFAULT-VALUE})")
    private int batch;

    /** PING round trips sampled while the workers run, in microseconds. */
    private final List<Double> pings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        workers = placement.workers(2);
        processCount = placement.processes(2);
        boolean processes = processCount > 0;
        if (tasks < 1 || batch < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tasks and --batch must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Store shared = Store.open(store)) {
            out.printf("bench: %s mode, %d worker %s, %d no-op tasks, store %s%n", mode, workers,
                    processes ? "processes" : "threads", tasks, shared.location());
            out.flush();
            if (mode == Mode.fetch) {
                fetch(shared, out);
                return 0;
            }
            if (mode == Mode.latency) {
                latency(shared, out);
                return 0;
            }
            if (mode == Mode.codec) {
                codec(out);
                return 0;
            }
            if (mode == Mode.iterate) {
                iterate(shared, out);
                return 0;
            }
            double perSecond = switch (mode) {
                case queue -> queue(shared);
                case free -> free(shared);
                case map -> map(shared);
                case fetch, latency, codec, iterate -> throw new IllegalStateException();
            };
            double usPerTask = 1e6 / perSecond;
            String line = String.format(Locale.ROOT, "mode=%s workers=%d tasks=%d tasks_per_s=%.0f us_per_task=%.3f",
                    mode, workers, tasks, perSecond, usPerTask);
            if (shared instanceof RedisStore redis) {
                double rtt = median(pings.stream().mapToDouble(Double::doubleValue).toArray());
                double idle = redis.medianPing(2_000).toNanos() / 1e3;
                line += String.format(Locale.ROOT, " rtt_us=%.1f overhead_rtts=%.2f rtt_idle_us=%.1f", rtt,
                        usPerTask / rtt, idle);
            }
            out.println(line);
            return 0;
        }
    }

    private void start(Controller controller, WorkerLoop loop) throws InterruptedException {
        if (processCount > 0) {
            controller.restartProcesses(placement.maxRestarts());
            controller.spreadProcesses(processCount, workers, loop.getClass(), WorkerOptions.defaults());
            Placement.awaitRunning(controller, workers);
        } else {
            controller.startWorkers(workers, loop);
        }
    }

    private double queue(Store shared) throws InterruptedException {
        try (Controller controller = Network.builder(shared, "bench-queue").create().controller();
             Progress progress = Progress.start("tasks", tasks)) {
            start(controller, new NoOpLoops.Queue());
            List<Map<String, Object>> empty = Collections.nCopies(Math.min(batch, tasks), Map.of());
            long start = System.nanoTime();
            for (int pushed = 0; pushed < tasks; pushed += batch) {
                controller.push(pushed + batch <= tasks ? empty : empty.subList(0, tasks - pushed));
            }
            waitFor(controller, progress, () -> controller.counts().finished() >= tasks);
            long elapsed = System.nanoTime() - start;
            check(controller.counts());
            return tasks / (elapsed / 1e9);
        }
    }

    private double free(Store shared) throws InterruptedException {
        try (Controller controller = Network.builder(shared, "bench-free").budget(tasks).create().controller();
             Progress progress = Progress.start("tasks", tasks)) {
            long start = System.nanoTime();
            start(controller, new NoOpLoops.Free());
            long before = 0;
            if (processCount > 0) {
                before = controller.counts().finished();
                start = System.nanoTime();
            }
            waitFor(controller, progress, () -> controller.counts().finished() >= tasks);
            long elapsed = System.nanoTime() - start;
            check(controller.counts());
            return (tasks - before) / (elapsed / 1e9);
        }
    }

    /**
     * Map mode: N identity functions submitted with one {@code map} and consumed with {@code asCompleted(...)
     * .batches()}; the clock runs from the call to {@code map} until the last output is read and checked.
     */
    private double map(Store shared) throws InterruptedException {
        try (Controller controller = Network.builder(shared, "bench-map").create().controller();
             Progress progress = Progress.start("futures", tasks)) {
            start(controller, new NoOpLoops.Identity());
            List<Integer> inputs = IntStream.range(0, tasks).boxed().toList();
            long start = System.nanoTime();
            List<TaskFuture<Integer>> futures = controller.futures().map(NoOpLoops.IDENTITY, inputs);
            long consumed = 0;
            long lastPing = start;
            for (List<TaskFuture<Integer>> batch : Futures.asCompleted(futures).timeout(Duration.ofMinutes(1))
                    .batches()) {
                for (TaskFuture<Integer> f : batch) {
                    if (f.isCompletedExceptionally()) {
                        throw new IllegalStateException("task " + f.taskId() + " did not finish: " + f);
                    }
                }
                consumed += batch.size();
                progress.stepTo(consumed);
                long now = System.nanoTime();
                if (now - lastPing > 20_000_000L && shared instanceof RedisStore redis) {
                    pings.add(redis.medianPing(1).toNanos() / 1e3);
                    lastPing = now;
                }
            }
            long elapsed = System.nanoTime() - start;
            for (int i = 0; i < tasks; i++) {
                if (futures.get(i).resultNow() != i) {
                    throw new IllegalStateException("future " + i + " returned " + futures.get(i).resultNow());
                }
            }
            if (pings.isEmpty() && shared instanceof RedisStore redis) {
                pings.add(redis.medianPing(5).toNanos() / 1e3);
            }
            return tasks / (elapsed / 1e9);
        }
    }

    /**
     * Latency mode: 2,000 futures one after another on an idle network (after 200 to warm up), each submitted and
     * its result awaited before the next; reports the median time from submit to result.
     */
    private void latency(Store shared, PrintWriter out) throws Exception {
        try (Controller controller = Network.builder(shared, "bench-latency").create().controller()) {
            start(controller, new NoOpLoops.Identity());
            Futures futures = controller.futures();
            int samples = 2_000;
            double[] us = new double[samples];
            // Warm up for 5,000 futures and at least 2 s, so that the JIT has compiled the path and its compiler
            // threads no longer compete for the two cores: after 200 futures the median measured compilation (42 µs
            // against 22 µs in memory).
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (int i = 0; i < 5_000 || System.nanoTime() < warm; i++) {
                future(futures, -1 - i);
            }
            for (int i = 0; i < samples; i++) {
                long start = System.nanoTime();
                future(futures, i);
                us[i] = (System.nanoTime() - start) / 1e3;
            }
            double median = median(us);
            String line = String.format(Locale.ROOT, "mode=latency us_per_task=%.1f", median);
            if (shared instanceof RedisStore redis) {
                double idle = redis.medianPing(2_000).toNanos() / 1e3;
                line += String.format(Locale.ROOT, " rtt_idle_us=%.1f latency_rtts=%.2f", idle, median / idle);
            }
            out.println(line);
        }
    }

    /** Submits one identity future of {@code i} and waits for its result, which must be {@code i}. */
    private static void future(Futures futures, int i) throws Exception {
        int result = futures.submit(NoOpLoops.IDENTITY, i).result(Duration.ofSeconds(30));
        if (result != i) {
            throw new IllegalStateException("future " + i + " returned " + result);
        }
    }

    /**
     * Codec mode: a vector of 100 and one of 10^6 random doubles at full precision, encoded and decoded as JSON text of decimal
     * numbers (the payloads' plain mapper) and in the binary form that futures use; sizes in bytes of UTF-8 text and
     * the median time of one encode plus decode.
     */
    private void codec(PrintWriter out) throws Exception {
        for (int n : new int[] {100, 1_000_000}) {
            double[] v = new SplittableRandom(n).doubles(n).map(x -> Math.sqrt(-2 * Math.log(x))).toArray();
            int repeats = n <= 100 ? 20_000 : 9;
            String text = Json.mapper().writeValueAsString(v);
            String binary = Json.value(v, "vector");
            double[] textUs = new double[repeats];
            double[] binaryUs = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                double[] a = Json.mapper().readValue(Json.mapper().writeValueAsString(v), double[].class);
                long mid = System.nanoTime();
                double[] b = Json.bindValue(Json.value(v, "vector"), double[].class, "vector");
                long end = System.nanoTime();
                if (!Arrays.equals(a, v) || !Arrays.equals(b, v)) {
                    throw new IllegalStateException("a codec did not round-trip the vector of " + n);
                }
                textUs[i] = (mid - start) / 1e3;
                binaryUs[i] = (end - mid) / 1e3;
            }
            double t = median(textUs);
            double b = median(binaryUs);
            out.println(String.format(Locale.ROOT, "mode=codec n=%d text_bytes=%d binary_bytes=%d size_ratio=%.2f"
                    + " text_us=%.1f binary_us=%.1f time_ratio=%.2f", n, text.length(), binary.length(),
                    (double) text.length() / binary.length(), t, b, t / b));
        }
    }

    /**
     * Iterate mode: the iteration framework's overhead per answer, with an empty worker step, answers of 100 doubles
     * and an empty central step, asynchronous, on W workers: receive, staleness and history bookkeeping, and
     * re-query. 2,000 answers to warm up, then the median of 5 runs of N / 5 answers.
     */
    private void iterate(Store shared, PrintWriter out) throws InterruptedException {
        try (Controller controller = Network.builder(shared, "bench-iterate").create().controller()) {
            boolean processes = processCount > 0;
            if (processes) {
                for (int i = 0; i < workers; i++) {
                    controller.startProcesses(1, IterationFunctions.class, WorkerOptions.defaults()
                            .withTags(Set.of(IterationFunctions.tag(i))));
                }
            }
            Iteration<Integer, double[], double[]> iteration = Iteration.of(NoOpLoops.EmptyAlgorithm.class)
                    .problem(NoOpLoops.EmptyProblem.class).workers(workers).mode(dev.starling.algorithms.Mode.ASYNC);
            iteration.stopAt(Stop.iterations(2_000)).startWorkers(!processes).run(controller);
            int each = Math.max(1, tasks / 5);
            double[] us = new double[5];
            for (int r = 0; r < us.length; r++) {
                History h = iteration.stopAt(Stop.iterations(each)).startWorkers(false).run(controller).history();
                us[r] = h.seconds() * 1e6 / h.answers();
            }
            String line = String.format(Locale.ROOT, "mode=iterate workers=%d answers=%d us_per_answer=%.1f", workers,
                    each, median(us));
            if (shared instanceof RedisStore redis) {
                double idle = redis.medianPing(2_000).toNanos() / 1e3;
                line += String.format(Locale.ROOT, " rtt_idle_us=%.1f answer_rtts=%.2f", idle, median(us) / idle);
            }
            out.println(line);
        }
    }

    private void fetch(Store shared, PrintWriter out) throws InterruptedException {
        try (Controller controller = Network.builder(shared, "bench-fetch").create().controller()) {
            controller.startWorkers(workers, new NoOpLoops.Queue());
            controller.push(Collections.nCopies(tasks, Map.of()));
            if (!controller.awaitAll(Duration.ofMinutes(10))) {
                throw new IllegalStateException("tasks did not finish within 10 minutes");
            }
            Network network = controller.network();
            double[] coldMs = new double[5];
            for (int i = 0; i < coldMs.length; i++) {
                Archive archive = network.archive();
                long start = System.nanoTime();
                int read = archive.update().size();
                coldMs[i] = (System.nanoTime() - start) / 1e6;
                if (read != tasks) {
                    throw new IllegalStateException("read " + read + " tasks, expected " + tasks);
                }
            }
            Archive archive = network.archive();
            archive.update();
            double[] oneNewUs = new double[50];
            for (int i = 0; i < oneNewUs.length; i++) {
                controller.await(List.of(controller.push(Map.of())), Duration.ofSeconds(30));
                long start = System.nanoTime();
                int read = archive.update().size();
                oneNewUs[i] = (System.nanoTime() - start) / 1e3;
                if (read != 1) {
                    throw new IllegalStateException("read " + read + " new tasks, expected 1");
                }
            }
            String line = String.format(Locale.ROOT, "mode=fetch tasks=%d cold_ms=%.2f one_new_us=%.1f", tasks,
                    median(coldMs), median(oneNewUs));
            if (shared instanceof RedisStore redis) {
                line += String.format(Locale.ROOT, " rtt_us=%.1f", redis.medianPing(2_000).toNanos() / 1e3);
            }
            out.println(line);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private void waitFor(Controller controller, Progress progress, BooleanSupplier done)
            throws InterruptedException {
        Store store = controller.network().store();
        while (!done.getAsBoolean()) {
            Thread.sleep(Duration.ofMillis(20));
            progress.stepTo(controller.counts().completed());
            if (store instanceof RedisStore redis) {
                for (int i = 0; i < 5; i++) {
                    pings.add(redis.medianPing(1).toNanos() / 1e3);
                }
            }
        }
        progress.stepTo(controller.counts().completed());
    }

    private void check(TaskCounts counts) {
        if (counts.finished() != tasks || counts.failed() != 0) {
            throw new IllegalStateException("expected " + tasks + " finished tasks, found " + counts);
        }
    }

}
