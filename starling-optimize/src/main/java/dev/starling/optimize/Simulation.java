package dev.starling.optimize;

import dev.starling.Network;
import dev.starling.Scheduler;
import dev.starling.Seeds;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.WorkerOptions;
import dev.starling.WorkerSession;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An optimization run in virtual time, each worker on a core of its own, as on the cluster of the rush paper:
 * evaluations are {@link Replay replayed} (their recorded time passes on the virtual clock, nothing runs), while the
 * optimizer's own work really runs, on the same code and the same in-process store as a real run. Each proposal,
 * and each store call a worker makes, advances that worker's virtual time by the CPU time it took here (thread CPU
 * time, so the other simulated workers' work does not count against it). The centralized optimizer's proposer is
 * one more core, which every worker waits on. One thread runs everything, event by event.
 *
 * <p>Left out: the round trips to a store on another machine (a few per evaluation, about 0.1 ms on loopback Redis
 * here), and garbage collection, which runs on other threads. The centralized proposer is ideal: it proposes again
 * the moment its queued configuration is taken, where a real one notices within a finish or 250 ms.
 */
final class Simulation {
    /** Where virtual time starts. */
    static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** Heartbeats are not part of what is measured; a long period keeps their events few. */
    private static final WorkerOptions OPTIONS = WorkerOptions.builder().heartbeatPeriod(Duration.ofMinutes(10))
            .build();

    private final Spec spec;
    private final Replay replay;
    private final int count;
    private final long seed;
    private final Consumer<Optimization.Progress> progress;
    private final VirtualTime time = new VirtualTime();
    private final Network network;
    private final Deque<Map<String, Object>> design;
    private final List<Double> proposalSeconds = new ArrayList<>();
    private int open;

    // The centralized optimizer's proposer, its one queued configuration, and the workers waiting for one.
    private Proposer central;
    private Map<String, Object> queued;
    private boolean centralBusy;
    private boolean centralDone;
    private final Deque<SimulatedWorker> waiting = new ArrayDeque<>();
    private double centralSeconds;
    private double best = Double.NaN;

    Simulation(Spec spec, Replay replay, int count, String name, long seed, long budget,
               Consumer<Optimization.Progress> progress) {
        this.spec = spec;
        this.replay = replay;
        this.count = count;
        this.seed = seed;
        this.progress = progress;
        this.network = Network.builder(Store.memory(time), name).seed(seed).budget(budget).create();
        this.design = new ArrayDeque<>(spec.initialDesign(seed));
    }

    /** Runs until every worker has stopped. */
    Optimization.SimulationResult run() {
        Instant started = time.instant();
        boolean centralized = spec.optimizer() instanceof Optimizer.Centralized;
        if (centralized) {
            central = new Proposer(spec, network, new SplittableRandom(seed), spec.surrogate().orElseThrow()
                    .lambdaMean(), false);
        }
        List<SimulatedWorker> workers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            WorkerSession session = network.openSession(OPTIONS);
            Proposer own = centralized ? null
                    : Proposer.forWorker(spec, network, new SplittableRandom(Seeds.worker(seed, i)));
            workers.add(new SimulatedWorker(session, own));
        }
        open = count;
        workers.forEach(w -> time.at(0, () -> free(w)));
        while (open > 0 && time.runNext()) {
            // every event runs in runNext
        }
        EvaluationArchive archive = new EvaluationArchive(network.archive(), spec.outcomes());
        archive.update();
        Duration elapsed = Duration.between(started, time.instant());
        OptimizationResult result = Optimization.result(network, archive, true, count, started, null);
        double[] sorted = proposalSeconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Optimization.SimulationResult(result, sorted.length, quantile(sorted, 0.5),
                quantile(sorted, 0.9), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1],
                centralized && elapsed.toNanos() > 0 ? Math.min(1, centralSeconds / (elapsed.toNanos() / 1e9))
                        : Double.NaN);
    }

    private static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
    }

    /** What a step returned, and the CPU time it took on this thread. */
    private record Timed<T>(T value, long nanos) {
    }

    private static <T> Timed<T> cpu(Supplier<T> step) {
        long before = CPU.getCurrentThreadCpuTime();
        T value = step.get();
        return new Timed<>(value, CPU.getCurrentThreadCpuTime() - before);
    }

    /** A worker that has finished an evaluation (or just started) takes or proposes its next configuration. */
    private void free(SimulatedWorker w) {
        if (!design.isEmpty()) {
            start(w, design.poll());
        } else if (central != null) {
            if (queued != null) {
                Map<String, Object> config = queued;
                queued = null;
                start(w, config);
                proposeCentrally();
            } else if (centralDone) {
                close(w);
            } else {
                waiting.add(w);
                proposeCentrally();
            }
        } else {
            Timed<Map<String, Object>> next = cpu(() -> w.proposer.done() ? null : w.proposer.propose());
            if (next.value() == null) {
                time.at(next.nanos(), () -> close(w));
            } else {
                proposalSeconds.add(next.nanos() / 1e9);
                time.at(next.nanos(), () -> start(w, next.value()));
            }
        }
    }

    /** The centralized proposer, when idle and its queue is empty, proposes the next configuration. */
    private void proposeCentrally() {
        if (centralBusy || queued != null || centralDone || !design.isEmpty()) {
            return;
        }
        Timed<Map<String, Object>> next = cpu(() -> central.done() ? null : central.propose());
        centralSeconds += next.nanos() / 1e9;
        Map<String, Object> config = next.value();
        if (config == null) {
            centralDone = true;
            while (!waiting.isEmpty()) {
                close(waiting.poll());
            }
            return;
        }
        proposalSeconds.add(next.nanos() / 1e9);
        centralBusy = true;
        time.at(next.nanos(), () -> {
            centralBusy = false;
            if (waiting.isEmpty()) {
                queued = config;
            } else {
                start(waiting.poll(), config);
                proposeCentrally();
            }
        });
    }

    /** The worker publishes its configuration as a running task, and evaluates it in the recorded time. */
    private void start(SimulatedWorker w, Map<String, Object> config) {
        Timed<Optional<Task>> created = cpu(() -> w.session.create(config));
        if (created.value().isEmpty()) {
            time.at(created.nanos(), () -> close(w));
            return;
        }
        Task task = created.value().get();
        Evaluation recorded = replay.nearest(task.xs());
        long evaluation = Math.round(recorded.seconds() * 1e9);
        time.at(created.nanos() + evaluation, () -> finish(w, task, recorded));
    }

    private void finish(SimulatedWorker w, Task task, Evaluation recorded) {
        Map<String, Object> ys = new HashMap<>(recorded.outcomes());
        ys.put(Evaluation.SECONDS, recorded.seconds());
        long nanos = cpu(() -> w.session.finish(task, ys)).nanos();
        Double value = recorded.outcomes().get(spec.outcome().name());
        if (value != null && (Double.isNaN(best) || spec.outcome().loss(value) < spec.outcome().loss(best))) {
            best = value;
        }
        progress.accept(new Optimization.Progress(network.counts().finished(), spec.terminator().budget().orElse(-1),
                best));
        time.at(nanos, () -> free(w));
    }

    private void close(SimulatedWorker w) {
        w.session.close();
        open--;
    }

    private record SimulatedWorker(WorkerSession session, Proposer proposer) {
    }

    /**
     * Virtual time: a clock that moves only from one event to the next, and a scheduler whose timers (the sessions'
     * heartbeats, the store's sweeps) are events on it. Confined to the simulation's thread.
     */
    private static final class VirtualTime implements Scheduler, InstantSource {
        private final PriorityQueue<Event> events = new PriorityQueue<>();
        private long now;
        private long sequence;

        /** Runs {@code action} {@code delayNanos} from now. */
        void at(long delayNanos, Runnable action) {
            events.add(new Event(now + Math.max(0, delayNanos), sequence++, action, new boolean[1]));
        }

        /** Runs the next event; false when there is none. */
        boolean runNext() {
            Event next = events.poll();
            if (next == null) {
                return false;
            }
            now = Math.max(now, next.time);
            if (!next.cancelled[0]) {
                next.action.run();
            }
            return true;
        }

        @Override
        public Instant instant() {
            return ORIGIN.plusNanos(now);
        }

        @Override
        public InstantSource clock() {
            return this;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable action) {
            Event event = new Event(now + delay.toNanos(), sequence++, action, new boolean[1]);
            events.add(event);
            return () -> event.cancelled[0] = true;
        }

        @Override
        public Cancellable repeat(Duration period, Runnable action) {
            boolean[] cancelled = new boolean[1];
            Runnable[] again = new Runnable[1];
            again[0] = () -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("a repeated action failed; it runs again in {}: {}", period, e.toString());
                }
                events.add(new Event(now + period.toNanos(), sequence++, again[0], cancelled));
            };
            events.add(new Event(now + period.toNanos(), sequence++, again[0], cancelled));
            return () -> cancelled[0] = true;
        }

        private record Event(long time, long sequence, Runnable action, boolean[] cancelled)
                implements Comparable<Event> {
            @Override
            public int compareTo(Event other) {
                int byTime = Long.compare(time, other.time);
                return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
            }
        }
    }
}
