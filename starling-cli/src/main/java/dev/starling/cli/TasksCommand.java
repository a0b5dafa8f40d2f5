package dev.starling.cli;

import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskState;
import dev.starling.internal.Csv;
import dev.starling.internal.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists a network's tasks. */
@Command(name = "tasks", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Lists a network's tasks, by id: state, worker, attempts, times, inputs, outputs and error.")
final class TasksCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private StoreOptions store;

    @Option(names = "--network", required = true, description = "the network")
    private String network;

    @Option(names = "--state", description = "only tasks in this state: queued, running, finished, failed or"
            + " cancelled (default: all)")
    private String state;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or jsonl (default: ${DEFAULT-VALUE})")
    private String format;

    @Option(names = "--limit", description = "at most this many, the latest ids (default: all)")
    private Integer limit;

    @Override
    public Integer call() throws IOException {
        List<TaskState> states = state == null ? Arrays.asList(TaskState.values()) : List.of(parse(state));
        if (!List.of("table", "csv", "jsonl").contains(format)) {
            throw store.usage("--format must be table, csv or jsonl, was '" + format + "'");
        }
        if (limit != null && limit < 1) {
            throw store.usage("--limit must be at least 1, was " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Store shared = store.open()) {
            Network net = store.network(shared, network);
            List<Task> tasks = new ArrayList<>();
            states.forEach(s -> tasks.addAll(net.tasks(s)));
            tasks.sort(Comparator.comparingLong(Task::id));
            List<Task> shown = limit == null || tasks.size() <= limit ? tasks
                    : tasks.subList(tasks.size() - limit, tasks.size());
            switch (format) {
                case "csv" -> Csv.write(shown, out);
                case "jsonl" -> {
                    for (Task t : shown) {
                        out.println(Json.mapper().writeValueAsString(json(t)));
                    }
                }
                default -> table(shown, out);
            }
            out.flush();
        }
        return 0;
    }

    private TaskState parse(String text) {
        try {
            return TaskState.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw store.usage("--state must be queued, running, finished, failed or cancelled, was '" + text + "'");
        }
    }

    /** A task as a JSON object: its fields, with inputs and outputs as objects rather than strings. */
    static Map<String, Object> json(Task t) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", t.id());
        line.put("state", t.state().name());
        line.put("worker", t.worker());
        line.put("attempts", t.attempts());
        line.put("created", text(t.created()));
        line.put("started", text(t.started()));
        line.put("finished", text(t.finished()));
        line.put("xs", Json.tree(t.xsJson(), "inputs of task " + t.id()));
        line.put("ys", t.ysJson() == null ? null : Json.tree(t.ysJson(), "outputs of task " + t.id()));
        line.put("error", t.error() == null ? null : Map.of("kind", t.error().kind().name(), "type",
                t.error().type(), "message", String.valueOf(t.error().message())));
        return line;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static void table(List<Task> tasks, PrintWriter out) {
        out.printf(Locale.ROOT, "%8s %-10s %-12s %8s  %-30s %s%n", "id", "state", "worker", "attempts", "inputs",
                "outputs or error");
        for (Task t : tasks) {
            String result = t.error() != null ? t.error().type() + ": " + t.error().message()
                    : t.ysJson() == null ? "" : t.ysJson();
            out.printf(Locale.ROOT, "%8d %-10s %-12s %8d  %-30s %s%n", t.id(), t.state(),
                    t.worker() == null ? "-" : t.worker(), t.attempts(), t.xsJson(), result);
        }
        out.printf(Locale.ROOT, "%d task(s)%n", tasks.size());
    }
}
