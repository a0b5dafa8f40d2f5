package dev.starling.redis;

import dev.starling.PayloadException;
import dev.starling.Seeds;
import dev.starling.StopRequest;
import dev.starling.Task;
import dev.starling.TaskError;
import dev.starling.TaskState;
import dev.starling.WorkerInfo;
import dev.starling.WorkerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns script replies (flat lists of strings) into tasks and workers, and instants into epoch microseconds. */
final class Codec {
    /** Fields per task: the id, then prelude.lua's TASK_FIELDS. */
    static final int TASK_WIDTH = 13;
    /** Fields per worker in a reply: prelude.lua's WORKER_FIELDS. */
    static final int WORKER_WIDTH = 12;

    private Codec() {
    }

    static String micros(Instant t) {
        return Long.toString(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000));
    }

    static Instant instant(String micros) {
        if (micros == null || micros.isEmpty()) {
            return null;
        }
        long m = Long.parseLong(micros);
        return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1_000L);
    }

    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return value.toString();
    }

    private static String orNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The separator of a packed task (prelude.lua's complete() packs terminal tasks into the completion log). */
    static final char UNIT_SEPARATOR = '\u001f';

    /** The separator of packed tasks in one reply-channel entry (prelude.lua's commit()). */
    static final char RECORD_SEPARATOR = '\u001e';

    /** The {@code n} fields of a record packed with the unit separator (missing trailing fields are empty). */
    static List<String> fields(String record, int n) {
        List<String> fields = new ArrayList<>(n);
        int from = 0;
        for (int i = 0; i < n - 1; i++) {
            int at = record.indexOf(UNIT_SEPARATOR, from);
            if (at < 0) {
                fields.add(record.substring(from));
                while (fields.size() < n) {
                    fields.add("");
                }
                return fields;
            }
            fields.add(record.substring(from, at));
            from = at + 1;
        }
        fields.add(record.substring(from));
        return fields;
    }

    /** One packed task. */
    static Task packedTask(String packed, long networkSeed) {
        return task(fields(packed, TASK_WIDTH), 0, networkSeed);
    }

    /** Adds the tasks of one reply-channel entry, packed and joined by the record separator, to {@code tasks}. */
    static void packedRecords(String entry, long networkSeed, List<Task> tasks) {
        int from = 0;
        while (true) {
            int end = entry.indexOf(RECORD_SEPARATOR, from);
            tasks.add(packedTask(end < 0 ? entry.substring(from) : entry.substring(from, end), networkSeed));
            if (end < 0) {
                return;
            }
            from = end + 1;
        }
    }

    /** Tasks packed one per reply element, from {@code offset} on. */
    static List<Task> packedTasks(List<?> reply, int offset, long networkSeed) {
        List<Task> tasks = new ArrayList<>(reply.size() - offset);
        for (int i = offset; i < reply.size(); i++) {
            tasks.add(packedTask(text(reply.get(i)), networkSeed));
        }
        return tasks;
    }

    /**
     * Removes the unit and record separators from free text stored in a task (error messages), so packed tasks stay
     * parseable.
     */
    static String clean(String text) {
        if (text.indexOf(UNIT_SEPARATOR) < 0 && text.indexOf(RECORD_SEPARATOR) < 0) {
            return text;
        }
        return text.replace(UNIT_SEPARATOR, ' ').replace(RECORD_SEPARATOR, ' ');
    }

    static Task task(List<?> r, int o, long networkSeed) {
        long id = Long.parseLong(text(r.get(o)));
        try {
            return parseTask(r, o, networkSeed, id);
        } catch (RuntimeException e) {
            // A hash edited by hand, or by something that is not Starling: say which task and what, not a stack.
            throw new PayloadException("task " + id + " is damaged in the store (state '" + text(r.get(o + 1))
                    + "', attempts '" + text(r.get(o + 5)) + "'): " + e.getMessage() + "; a task's state is one of "
                    + java.util.Arrays.toString(TaskState.values()) + ". Was its hash edited by hand? Repair it or"
                    + " delete it", e);
        }
    }

    private static Task parseTask(List<?> r, int o, long networkSeed, long id) {
        String errorKind = orNull(text(r.get(o + 9)));
        TaskError error = errorKind == null ? null : new TaskError(TaskError.Kind.valueOf(errorKind),
                text(r.get(o + 10)), text(r.get(o + 11)), text(r.get(o + 12)));
        return new Task(id, TaskState.valueOf(text(r.get(o + 1))), text(r.get(o + 2)), orNull(text(r.get(o + 3))),
                orNull(text(r.get(o + 4))), Integer.parseInt(text(r.get(o + 5))), Seeds.task(networkSeed, id),
                instant(text(r.get(o + 6))), instant(text(r.get(o + 7))), instant(text(r.get(o + 8))), error);
    }

    static WorkerInfo worker(List<?> r, int o) {
        return new WorkerInfo(text(r.get(o)), Integer.parseInt(text(r.get(o + 1))), text(r.get(o + 2)),
                Long.parseLong(text(r.get(o + 3))), instant(text(r.get(o + 4))), instant(text(r.get(o + 5))),
                Duration.ofNanos(Long.parseLong(text(r.get(o + 6))) * 1_000L), WorkerState.valueOf(text(r.get(o + 7))),
                StopRequest.valueOf(text(r.get(o + 8))), instant(text(r.get(o + 9))),
                Integer.parseInt(text(r.get(o + 10))), tags(text(r.get(o + 11))));
    }

    private static Set<String> tags(String joined) {
        return joined == null || joined.isEmpty() ? Set.of() : Set.of(joined.split(","));
    }

    static List<WorkerInfo> workers(List<?> reply) {
        List<WorkerInfo> workers = new ArrayList<>(reply.size() / WORKER_WIDTH);
        for (int i = 0; i + WORKER_WIDTH <= reply.size(); i += WORKER_WIDTH) {
            workers.add(worker(reply, i));
        }
        return workers;
    }
}
