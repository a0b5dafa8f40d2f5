package dev.starling.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.NetworkSettings;
import dev.starling.Recovery;
import dev.starling.Retention;
import dev.starling.Scheduler;
import dev.starling.StopRequest;
import dev.starling.WorkerInfo;
import dev.starling.WorkerOptions;
import dev.starling.WorkerState;
import dev.starling.internal.memory.MemoryStore;
import dev.starling.spi.EventLog;
import dev.starling.spi.MetricLog;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.TaskStore;
import dev.starling.spi.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The member's heartbeat against registrations that come and go; on a scheduler that runs beats when told. */
class MembershipTest {

    @Test
    void aLostAnswerAboutTheRegistrationJustLeft_doesNotMakeTheMemberJoinAgain() {
        // Regression (the chaos test's free loop, judged by the server's clock): a heartbeat of registration A was on
        // its way when the member, told A was lost, joined again as B; the late answer "A is LOST" then made it join
        // a third time as C, and B stayed RUNNING for good, without heartbeat, holding the task it had claimed.
        Beats beats = new Beats();
        MemoryStore store = new MemoryStore(beats, Retention.KEEP);
        NetworkStore memory = store.network("m");
        memory.create(NetworkSettings.defaults());
        List<WorkerState> told = new ArrayList<>();
        Membership[] member = new Membership[1];
        Hooked network = new Hooked(memory, id -> {
            // While A's heartbeat is on its way, A is declared lost and the member joins again.
            memory.retire(id, WorkerState.LOST);
            member[0].join();
        });
        member[0] = new Membership(network, WorkerOptions.defaults(), beats, "w-", "memory", new Membership.Listener() {
            @Override
            public void stopRequested(StopRequest request) {
            }

            @Override
            public void retired(WorkerState state) {
                told.add(state);
            }

            @Override
            public void outage(Duration silence) {
            }
        });
        String first = member[0].join().id();
        network.hookOn(first);

        beats.runAll();

        assertThat(told).as("what the listener was told").isEmpty();
        String second = member[0].id();
        assertThat(second).isNotEqualTo(first);
        assertThat(memory.workers().get(second).orElseThrow().state()).isEqualTo(WorkerState.RUNNING);
    }

    /** A scheduler whose repeated actions run when the test says, once each; its clock stands still. */
    private static final class Beats implements Scheduler {
        private final List<Runnable> repeated = new ArrayList<>();

        @Override
        public InstantSource clock() {
            return InstantSource.fixed(Instant.parse("2030-01-01T00:00:00Z"));
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable action) {
            return () -> { };
        }

        @Override
        public Cancellable repeat(Duration period, Runnable action) {
            repeated.add(action);
            return () -> repeated.remove(action);
        }

        void runAll() {
            for (Runnable r : List.copyOf(repeated)) {
                r.run();
            }
        }
    }

    /** A network whose heartbeat of one registration runs a hook before it answers. */
    private record Hooked(NetworkStore network, Consumer<String> hook, String[] on) implements NetworkStore {
        Hooked(NetworkStore network, Consumer<String> hook) {
            this(network, hook, new String[1]);
        }

        void hookOn(String id) {
            on[0] = id;
        }

        @Override
        public WorkerRegistry workers() {
            WorkerRegistry workers = network.workers();
            return new WorkerRegistry() {
                @Override
                public WorkerInfo register(String id, String host, long pid, Duration expiry, Set<String> tags) {
                    return workers.register(id, host, pid, expiry, tags);
                }

                @Override
                public WorkerInfo heartbeat(String id) {
                    if (id.equals(on[0])) {
                        on[0] = null;
                        hook.accept(id);
                    }
                    return workers.heartbeat(id);
                }

                @Override
                public void requestStop(String id, StopRequest request) {
                    workers.requestStop(id, request);
                }

                @Override
                public Optional<WorkerInfo> get(String id) {
                    return workers.get(id);
                }

                @Override
                public List<WorkerInfo> list() {
                    return workers.list();
                }
            };
        }

        @Override
        public String name() {
            return network.name();
        }

        @Override
        public Optional<NetworkSettings> settings() {
            return network.settings();
        }

        @Override
        public void create(NetworkSettings settings) {
            network.create(settings);
        }

        @Override
        public NetworkSettings createIfAbsent(NetworkSettings settings) {
            return network.createIfAbsent(settings);
        }

        @Override
        public void delete() {
            network.delete();
        }

        @Override
        public void setBudget(long budget) {
            network.setBudget(budget);
        }

        @Override
        public Optional<String> attribute(String name) {
            return network.attribute(name);
        }

        @Override
        public void setAttribute(String name, String value) {
            network.setAttribute(name, value);
        }

        @Override
        public TaskStore tasks() {
            return network.tasks();
        }

        @Override
        public EventLog events() {
            return network.events();
        }

        @Override
        public MetricLog metrics() {
            return network.metrics();
        }

        @Override
        public Recovery retire(String workerId, WorkerState state) {
            return network.retire(workerId, state);
        }

        @Override
        public List<Recovery> recoverLostWorkers(Duration minInterval, Instant contactSince) {
            return network.recoverLostWorkers(minInterval, contactSince);
        }
    }
}
