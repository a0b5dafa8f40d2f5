package dev.starling.cli.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starling.LogEvent;
import dev.starling.MetricPoint;
import dev.starling.NetworkSettings;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.TaskError;
import dev.starling.TaskState;
import dev.starling.WorkerInfo;
import dev.starling.WorkerState;
import dev.starling.cli.NetworkFeed;
import dev.starling.internal.Json;
import dev.starling.optimize.Evaluation;
import dev.starling.optimize.EvaluationArchive;
import dev.starling.optimize.Outcome;
import dev.starling.optimize.SearchSpace;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The JSON documents of the dashboard's API, in the project's vocabulary: task states and worker states by their
 * names, times as ISO-8601 instants, and stream rows as compact arrays. Stateless.
 */
final class Views {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int TOP = 10;

    private Views() {
    }

    /** The task counts, one field per state name, e.g. {@code {"QUEUED": 3, "RUNNING": 2, ...}}. */
    static ObjectNode counts(TaskCounts counts) {
        ObjectNode node = NODES.objectNode();
        for (TaskState state : TaskState.values()) {
            node.put(state.name(), counts.of(state));
        }
        return node;
    }

    /** {@code {"limit": n or null, "used": tasks created}}. */
    static ObjectNode budget(long budget, TaskCounts counts) {
        ObjectNode node = NODES.objectNode();
        if (budget == NetworkSettings.UNLIMITED) {
            node.putNull("limit");
        } else {
            node.put("limit", budget);
        }
        node.put("used", counts.total());
        return node;
    }

    /** One line of the networks page: name, counts, budget, and workers alive, lost and in all. */
    static ObjectNode summary(NetworkFeed.Snapshot s) {
        ObjectNode node = NODES.objectNode();
        node.put("name", s.network().name());
        node.set("counts", counts(s.counts()));
        node.set("budget", budget(s.network().settings().budget(), s.counts()));
        ObjectNode workers = node.putObject("workerCounts");
        for (WorkerState state : WorkerState.values()) {
            workers.put(state.name(), s.workers().stream().filter(w -> w.state() == state).count());
        }
        workers.put("total", s.workers().size());
        node.put("kind", s.optimization().isPresent() ? "optimization" : s.metrics() ? "algorithm" : "tasks");
        return node;
    }

    /**
     * One network in full: name, counts, budget, workers, the latest failures, and for an optimization its outcomes,
     * search space, best evaluation and top configurations.
     */
    static ObjectNode network(NetworkFeed.Snapshot s, boolean control) {
        ObjectNode node = summary(s);
        node.put("at", s.at().toString());
        node.put("control", control);
        ArrayNode workers = node.putArray("workers");
        for (WorkerInfo w : s.workers()) {
            workers.add(worker(w, s));
        }
        ArrayNode failures = node.putArray("failures");
        s.failures().forEach(t -> failures.add(task(t)));
        s.optimization().ifPresent(archive -> node.set("optimization", optimization(archive)));
        return node;
    }

    static ObjectNode worker(WorkerInfo w, NetworkFeed.Snapshot s) {
        ObjectNode node = NODES.objectNode();
        node.put("id", w.id());
        node.put("ordinal", w.ordinal());
        node.put("host", w.host());
        node.put("pid", w.pid());
        node.put("state", w.state().name());
        node.put("started", w.started().toString());
        node.put("heartbeat", w.lastHeartbeat().toString());
        node.put("heartbeatAge", Duration.between(w.lastHeartbeat(), s.at()).toMillis() / 1000.0);
        Task current = s.running().get(w.id());
        if (current == null) {
            node.putNull("task");
            node.putNull("taskStarted");
        } else {
            node.put("task", current.id());
            node.put("taskStarted", instant(current.started()));
        }
        node.put("finished", s.finished(w.id()));
        node.put("failed", s.failed(w.id()));
        node.put("utilization", Math.round(s.utilization(w) * 1000) / 1000.0);
        node.put("stopped", instant(w.stopped()));
        node.put("recovered", w.recovered());
        ArrayNode tags = node.putArray("tags");
        w.tags().stream().sorted().forEach(tags::add);
        return node;
    }

    /** A task in full: its state, worker, times, inputs, outputs and error. */
    static ObjectNode task(Task t) {
        ObjectNode node = NODES.objectNode();
        node.put("id", t.id());
        node.put("state", t.state().name());
        node.put("worker", t.worker());
        node.put("attempts", t.attempts());
        node.put("created", t.created().toString());
        node.put("started", instant(t.started()));
        node.put("finished", instant(t.finished()));
        node.set("xs", parse(t.xsJson()));
        node.set("ys", t.ysJson() == null ? NODES.nullNode() : parse(t.ysJson()));
        node.set("error", t.error() == null ? NODES.nullNode() : error(t.error()));
        return node;
    }

    static ObjectNode error(TaskError e) {
        ObjectNode node = NODES.objectNode();
        node.put("kind", e.kind().name());
        node.put("type", e.type());
        node.put("message", e.message());
        node.put("stackTrace", e.stackTrace());
        return node;
    }

    /**
     * A task as a row of the task stream: {@code [id, worker, started ms, finished ms, state]}, epoch milliseconds,
     * null where unknown. Compact, because a stream can hold 100,000 of them.
     */
    static ArrayNode row(Task t) {
        ArrayNode row = NODES.arrayNode();
        row.add(t.id());
        row.add(t.worker());
        if (t.started() == null) {
            row.addNull();
        } else {
            row.add(t.started().toEpochMilli());
        }
        if (t.finished() == null) {
            row.addNull();
        } else {
            row.add(t.finished().toEpochMilli());
        }
        row.add(t.state().name());
        return row;
    }

    static ObjectNode logEvent(LogEvent e) {
        ObjectNode node = NODES.objectNode();
        node.put("time", e.time().toString());
        node.put("worker", e.worker());
        node.put("level", e.level().name());
        node.put("message", e.message());
        return node;
    }

    static ObjectNode optimization(EvaluationArchive archive) {
        ObjectNode node = NODES.objectNode();
        ArrayNode outcomes = node.putArray("outcomes");
        for (Outcome o : archive.outcomes()) {
            outcomes.addObject().put("name", o.name()).put("maximize", o.maximize());
        }
        archive.space().ifPresent(space -> node.set("space", parse(space.toJson())));
        node.put("evaluations", archive.size());
        archive.best().ifPresent(best -> node.set("best", evaluation(best)));
        ArrayNode top = node.putArray("top");
        archive.top(TOP).forEach(e -> top.add(evaluation(e)));
        return node;
    }

    static ObjectNode evaluation(Evaluation e) {
        ObjectNode node = NODES.objectNode();
        node.put("id", e.id());
        node.put("worker", e.worker());
        node.put("finished", instant(e.finished()));
        node.set("config", Json.mapper().valueToTree(e.config()));
        node.set("outcomes", Json.mapper().valueToTree(e.outcomes()));
        return node;
    }

    /**
     * An evaluation as a row for the charts: {@code [id, worker, finished ms, value or null, unit coordinates...]},
     * the value of the ranking outcome and the configuration in the unit cube of the search space (-1 where a
     * conditional parameter is inactive).
     */
    static ArrayNode evaluationRow(Evaluation e, Outcome outcome, SearchSpace space) {
        ArrayNode row = NODES.arrayNode();
        row.add(e.id());
        row.add(e.worker());
        if (e.finished() == null) {
            row.addNull();
        } else {
            row.add(e.finished().toEpochMilli());
        }
        if (e.has(outcome) && Double.isFinite(e.outcomes().get(outcome.name()))) {
            row.add(e.outcomes().get(outcome.name()));
        } else {
            row.addNull();
        }
        if (space != null) {
            try {
                for (double u : space.encode(e.config())) {
                    row.add(Math.round(u * 10_000) / 10_000.0);
                }
            } catch (RuntimeException notInTheSpace) {
                // A configuration told from outside the space has no coordinates; the charts leave it out.
            }
        }
        return row;
    }

    /** A metric point: {@code {"time": ISO instant, "t": epoch ms, "values": {name: value}}}. */
    static ObjectNode metric(MetricPoint p) {
        ObjectNode node = NODES.objectNode();
        node.put("time", p.time().toString());
        node.put("t", p.time().toEpochMilli());
        ObjectNode values = node.putObject("values");
        p.values().forEach(values::put);
        return node;
    }

    static ArrayNode rows(List<Task> tasks) {
        ArrayNode rows = NODES.arrayNode();
        tasks.forEach(t -> rows.add(row(t)));
        return rows;
    }

    static ObjectNode error(String message) {
        return NODES.objectNode().put("error", message);
    }

    private static String instant(Instant at) {
        return at == null ? null : at.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            return NODES.textNode(json);
        }
    }
}
