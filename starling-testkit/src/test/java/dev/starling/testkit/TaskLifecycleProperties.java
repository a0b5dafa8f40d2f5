package dev.starling.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.NetworkSettings;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.TaskError;
import dev.starling.TaskState;
import dev.starling.WorkerInfo;
import dev.starling.WorkerState;
import dev.starling.spi.Lease;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.StoreBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The task lifecycle under random interleavings of push, claim, finish, fail, cancel, release, heartbeats, new
 * workers and heartbeat expiry with recovery, on the memory store and a manual clock; the invariants of DESIGN.md are
 * checked after every step: one state per task and counts that agree, terminal states that never change, only legal
 * transitions, first writer wins (a finish or fail succeeds exactly when its lease is the task's current run, and a
 * lost race changes nothing), no RUNNING task under a worker that is not RUNNING, and a completion log that holds
 * each completed task once.
 */
class TaskLifecycleProperties {
    private static final Duration EXPIRY = Duration.ofSeconds(3);
    private static final int MAX_ATTEMPTS = 2;

    /** One step of a run. Indices pick among what exists then, modulo its size. */
    sealed interface Op {
    }

    record Push(int n) implements Op {
    }

    record Claim(int worker, int max) implements Op {
    }

    record Finish(int lease) implements Op {
    }

    record Fail(int lease) implements Op {
    }

    record Cancel(int task) implements Op {
    }

    record Release(int worker) implements Op {
    }

    record Heartbeat(int worker) implements Op {
    }

    /** Time passes by {@code seconds}; only the workers that heartbeat in {@code alive} keep their heartbeat. */
    record Pass(int seconds, int alive) implements Op {
    }

    record Join() implements Op {
    }

    @Provide
    Arbitrary<List<Op>> runs() {
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 1_000);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 3).map(Push::new)),
                net.jqwik.api.Tuple.of(4, Combinators.combine(small, Arbitraries.integers().between(1, 3))
                        .as(Claim::new)),
                net.jqwik.api.Tuple.of(3, small.map(Finish::new)),
                net.jqwik.api.Tuple.of(2, small.map(Fail::new)),
                net.jqwik.api.Tuple.of(1, small.map(Cancel::new)),
                net.jqwik.api.Tuple.of(1, small.map(Release::new)),
                net.jqwik.api.Tuple.of(2, small.map(Heartbeat::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.integers().between(1, 4), small)
                        .as(Pass::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Join())));
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void invariantsHoldAfterEveryStep(@ForAll("runs") List<Op> run) throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        try (Store store = Store.memory(scheduler)) {
            NetworkStore network = StoreBackend.of(store).network("properties");
            network.create(new NetworkSettings(0, NetworkSettings.UNLIMITED, MAX_ATTEMPTS));
            Run state = new Run(network, scheduler);
            state.join();
            state.join();
            for (Op op : run) {
                state.apply(op);
                state.check(op);
            }
        }
    }

    /** What the run has done so far, and the checks. */
    private static final class Run {
        private final NetworkStore network;
        private final ManualScheduler scheduler;
        private final List<String> workers = new ArrayList<>();
        private final List<Lease> leases = new ArrayList<>();
        private final List<Long> pushed = new ArrayList<>();
        private final Map<Long, TaskState> last = new HashMap<>();
        private final Map<Long, TaskState> terminal = new HashMap<>();

        Run(NetworkStore network, ManualScheduler scheduler) {
            this.network = network;
            this.scheduler = scheduler;
        }

        void join() {
            String id = "w" + workers.size();
            network.workers().register(id, "host", 1, EXPIRY, Set.of());
            workers.add(id);
        }

        private static <T> Optional<T> pick(List<T> list, int index) {
            return list.isEmpty() ? Optional.empty() : Optional.of(list.get(Math.floorMod(index, list.size())));
        }

        void apply(Op op) throws InterruptedException {
            switch (op) {
                case Push p -> pushed.addAll(network.tasks().push(
                        Collections.nCopies(p.n(), "{\"x\":1}"), Collections.nCopies(p.n(), null), null));
                case Claim c -> {
                    String worker = pick(workers, c.worker()).orElseThrow();
                    List<Task> claimed = network.tasks().claim(worker, c.max(), Duration.ZERO);
                    for (Task t : claimed) {
                        assertThat(last.get(t.id())).as("only a QUEUED task is claimed").isEqualTo(TaskState.QUEUED);
                        assertThat(t.worker()).isEqualTo(worker);
                        leases.add(Lease.of(t));
                    }
                }
                case Finish f -> pick(leases, f.lease()).ifPresent(lease -> settle(lease, true));
                case Fail f -> pick(leases, f.lease()).ifPresent(lease -> settle(lease, false));
                case Cancel c -> pick(pushed, c.task()).ifPresent(id -> {
                    TaskState before = state(id);
                    List<Long> cancelled = network.tasks().cancel(List.of(id));
                    assertThat(cancelled.contains(id)).as("cancel of a %s task", before).isEqualTo(!before.isTerminal());
                });
                case Release r -> {
                    String worker = pick(workers, r.worker()).orElseThrow();
                    network.tasks().release(leases.stream().filter(l -> l.worker().equals(worker)).toList());
                }
                case Heartbeat h -> {
                    String worker = pick(workers, h.worker()).orElseThrow();
                    if (network.workers().get(worker).orElseThrow().state() == WorkerState.RUNNING) {
                        network.workers().heartbeat(worker);
                    }
                }
                case Pass p -> {
                    scheduler.advance(Duration.ofSeconds(p.seconds()));
                    pick(workers, p.alive()).ifPresent(w -> {
                        if (network.workers().get(w).orElseThrow().state() == WorkerState.RUNNING) {
                            network.workers().heartbeat(w);
                        }
                    });
                    network.recoverLostWorkers(Duration.ZERO, Instant.EPOCH);
                }
                case Join j -> join();
            }
        }

        /** Finishes or fails {@code lease}; it must win exactly when it is the task's current run. */
        private void settle(Lease lease, boolean finish) {
            Task before = network.tasks().get(lease.taskId()).orElseThrow();
            boolean current = before.state() == TaskState.RUNNING && lease.worker().equals(before.worker())
                    && lease.attempt() == before.attempts();
            boolean won = finish ? network.tasks().finish(lease, "{\"y\":2}")
                    : network.tasks().fail(lease, TaskError.of(new IllegalStateException("refused")));
            assertThat(won).as("%s of %s on %s", finish ? "finish" : "fail", lease, before).isEqualTo(current);
            Task after = network.tasks().get(lease.taskId()).orElseThrow();
            if (won) {
                assertThat(after.state()).isEqualTo(finish ? TaskState.FINISHED : TaskState.FAILED);
                if (finish) {
                    assertThat(after.ys()).containsEntry("y", 2);
                } else {
                    assertThat(after.error().message()).isEqualTo("refused");
                }
            } else {
                assertThat(after.state()).as("a lost race changes nothing").isEqualTo(before.state());
                assertThat(after.attempts()).isEqualTo(before.attempts());
            }
        }

        private TaskState state(long id) {
            return network.tasks().get(id).orElseThrow().state();
        }

        void check(Op op) {
            Map<Long, TaskState> now = new HashMap<>();
            Set<Long> listed = new HashSet<>();
            for (TaskState s : TaskState.values()) {
                List<Task> tasks = network.tasks().fetch(s);
                for (Task t : tasks) {
                    assertThat(listed.add(t.id())).as("task %d is in one state only, after %s", t.id(), op).isTrue();
                    assertThat(t.state()).isEqualTo(s);
                    now.put(t.id(), s);
                }
                assertThat(network.tasks().counts().of(s)).as("count of %s", s).isEqualTo(tasks.size());
            }
            assertThat(now.keySet()).as("no task lost, after %s", op).containsExactlyInAnyOrderElementsOf(pushed);
            TaskCounts counts = network.tasks().counts();
            assertThat(counts.total()).isEqualTo(pushed.size());

            for (Map.Entry<Long, TaskState> e : now.entrySet()) {
                TaskState before = last.get(e.getKey());
                TaskState after = e.getValue();
                if (before != null && before != after) {
                    assertThat(before.canMoveTo(after)).as("task %d moved %s -> %s on %s", e.getKey(), before,
                            after, op).isTrue();
                }
                TaskState ended = terminal.get(e.getKey());
                if (ended != null) {
                    assertThat(after).as("terminal states never change").isEqualTo(ended);
                } else if (after.isTerminal()) {
                    terminal.put(e.getKey(), after);
                }
            }
            last.clear();
            last.putAll(now);

            Map<String, WorkerState> registry = new HashMap<>();
            for (WorkerInfo w : network.workers().list()) {
                registry.put(w.id(), w.state());
            }
            for (Task t : network.tasks().fetch(TaskState.RUNNING)) {
                assertThat(registry.get(t.worker())).as("task %d runs under a RUNNING worker, after %s", t.id(), op)
                        .isEqualTo(WorkerState.RUNNING);
                assertThat(t.attempts()).isBetween(1, MAX_ATTEMPTS);
            }
            List<Long> log = network.tasks().completedSince(0, Integer.MAX_VALUE).tasks().stream().map(Task::id)
                    .toList();
            assertThat(log).as("each completed task once in the completion log").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(terminal.keySet());
        }
    }
}
