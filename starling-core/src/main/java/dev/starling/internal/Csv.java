package dev.starling.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starling.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The one CSV writer of Starling: RFC 4180 (CRLF line ends, quoted cells where needed). Stateless. */
public final class Csv {
    private static final List<String> META = List.of("id", "state", "worker", "attempts", "seed", "created",
            "started", "finished");

    private Csv() {
    }

    /** Writes tasks as CSV, one column per input and output name. */
    public static void write(Collection<Task> tasks, Appendable out) throws IOException {
        Set<String> xsNames = new LinkedHashSet<>();
        Set<String> ysNames = new LinkedHashSet<>();
        List<JsonNode[]> payloads = new ArrayList<>(tasks.size());
        for (Task task : tasks) {
            JsonNode xs = Json.tree(task.xsJson(), "inputs of task " + task.id());
            JsonNode ys = task.ysJson() == null ? null : Json.tree(task.ysJson(), "outputs of task " + task.id());
            xs.fieldNames().forEachRemaining(xsNames::add);
            if (ys != null) {
                ys.fieldNames().forEachRemaining(ysNames::add);
            }
            payloads.add(new JsonNode[] {xs, ys});
        }
        List<String> header = new ArrayList<>(META);
        for (String name : xsNames) {
            header.add(META.contains(name) ? "x_" + name : name);
        }
        for (String name : ysNames) {
            header.add(META.contains(name) || xsNames.contains(name) ? "y_" + name : name);
        }
        header.add("error_kind");
        header.add("error");
        row(header, out);

        Iterator<JsonNode[]> payload = payloads.iterator();
        for (Task task : tasks) {
            JsonNode[] xy = payload.next();
            List<String> cells = new ArrayList<>(header.size());
            cells.add(Long.toString(task.id()));
            cells.add(task.state().name());
            cells.add(text(task.worker()));
            cells.add(Integer.toString(task.attempts()));
            cells.add(Long.toString(task.seed()));
            cells.add(text(task.created()));
            cells.add(text(task.started()));
            cells.add(text(task.finished()));
            for (String name : xsNames) {
                cells.add(cell(xy[0], name));
            }
            for (String name : ysNames) {
                cells.add(cell(xy[1], name));
            }
            cells.add(task.error() == null ? "" : task.error().kind().name());
            cells.add(task.error() == null ? "" : task.error().type() + ": " + task.error().message());
            row(cells, out);
        }
    }

    private static String cell(JsonNode node, String name) {
        if (node == null || !node.has(name) || node.get(name).isNull()) {
            return "";
        }
        JsonNode value = node.get(name);
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** Writes one row. */
    public static void row(List<String> cells, Appendable out) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(escape(cells.get(i)));
        }
        out.append("\r\n");
    }

    private static String escape(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

}
