package dev.starling.cli;

import dev.starling.Network;
import dev.starling.NetworkSettings;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.WorkerInfo;
import dev.starling.WorkerState;
import dev.starling.optimize.Evaluation;
import dev.starling.optimize.EvaluationArchive;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the reading commands show of one network, read through the same API a controller uses (a {@link NetworkFeed},
 * which {@code status --watch} keeps so that each refresh reads only what is new) and without changing anything: counts by state, budget, workers (with the task each runs and how many it finished), and the best
 * evaluation of an optimization.
 */
record NetworkView(String name, TaskCounts counts, long budget, List<WorkerView> workers,
                   Optional<Evaluation> best, String outcome, Instant at) {

    /** One worker as shown: its registration, heartbeat age, running task (or 0) and tasks finished. */
    record WorkerView(WorkerInfo info, Duration heartbeatAge, long task, long finished) {
    }

    /** Reads {@code network} once, in full. */
    static NetworkView read(Network network) {
        return of(new NetworkFeed(network).refresh());
    }

    /** The view of a feed's snapshot; a feed kept across refreshes reads only what is new each time. */
    static NetworkView of(NetworkFeed.Snapshot s) {
        Network network = s.network();
        List<WorkerView> workers = s.workers().stream().map(w -> new WorkerView(w,
                Duration.between(w.lastHeartbeat(), s.at()), Optional.ofNullable(s.running().get(w.id()))
                .map(Task::id).orElse(0L), s.finished(w.id()))).toList();
        Optional<EvaluationArchive> archive = s.optimization();
        return new NetworkView(network.name(), s.counts(), network.settings().budget(), workers,
                archive.flatMap(EvaluationArchive::best), archive.map(a -> a.outcome().name()).orElse(null), s.at());
    }

    long alive() {
        return workers.stream().filter(w -> w.info().state() == WorkerState.RUNNING).count();
    }

    long lost() {
        return workers.stream().filter(w -> w.info().state() == WorkerState.LOST).count();
    }

    String budgetText() {
        return budget == NetworkSettings.UNLIMITED ? counts.total() + " created, no budget"
                : counts.total() + " of " + budget + " created";
    }

    String countsText() {
        return String.format(Locale.ROOT, "queued %d, running %d, finished %d, failed %d, cancelled %d",
                counts.queued(), counts.running(), counts.finished(), counts.failed(), counts.cancelled());
    }

    /** The network in full: header, counts, budget, best value, and a table of its workers. */
    String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "network %s at %s%n", name, at));
        out.append("tasks: ").append(countsText()).append(System.lineSeparator());
        out.append("budget: ").append(budgetText()).append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "workers: %d alive, %d lost, %d in all%n", alive(), lost(),
                workers.size()));
        best.ifPresent(e -> out.append(String.format(Locale.ROOT, "best %s=%s (evaluation %d by %s)%n", outcome,
                e.outcomes().get(outcome), e.id(), e.worker())));
        if (!workers.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%-12s %-16s %8s %-10s %10s %8s %8s%n", "id", "host", "pid",
                    "state", "heartbeat", "task", "finished"));
            for (WorkerView w : workers) {
                out.append(String.format(Locale.ROOT, "%-12s %-16s %8d %-10s %9.1fs %8s %8d%n", w.info().id(),
                        w.info().host(), w.info().pid(), w.info().state(), w.heartbeatAge().toMillis() / 1000.0,
                        w.task() == 0 ? "-" : Long.toString(w.task()), w.finished()));
            }
        }
        return out.toString();
    }
}
