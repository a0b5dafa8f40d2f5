package dev.starling.optimize;

import dev.starling.Task;
import dev.starling.TaskError;
import dev.starling.TaskState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One evaluation of an optimization, as kept in the network: the task's inputs are the configuration, its outputs the
 * outcomes (plus the time spent in the objective, under {@value #SECONDS}). Immutable.
 *
 * @param id       the task's id
 * @param config   the configuration evaluated
 * @param outcomes the outcomes by name; empty unless FINISHED
 * @param details  the objective's other results that are lists of numbers (e.g. an outcome's value on each
 *                 cross-validation fold), by name; empty when there are none
 * @param state    FINISHED or FAILED (RUNNING or QUEUED for pending evaluations)
 * @param worker   the worker that evaluated it
 * @param created  when the task was created
 * @param started  when its evaluation started
 * @param finished when it completed, or null
 * @param seconds  the time spent inside the objective, or NaN when unknown (failed, or told from outside)
 * @param error    why it failed, or null
 */
public record Evaluation(long id, Map<String, Object> config, Map<String, Double> outcomes,
                         Map<String, List<Double>> details, TaskState state,
                         String worker, Instant created, Instant started, Instant finished, double seconds,
                         TaskError error) {
    /** The output key under which the time inside the objective is kept. */
    public static final String SECONDS = "_seconds";

    /** The evaluation recorded in {@code task}. */
    public static Evaluation of(Task task) {
        Map<String, Double> outcomes = new LinkedHashMap<>();
        Map<String, List<Double>> details = new LinkedHashMap<>();
        double seconds = Double.NaN;
        for (Map.Entry<String, Object> e : task.ys().entrySet()) {
            if (e.getValue() instanceof List<?> list) {
                details.put(e.getKey(), list.stream().map(v -> v instanceof Number n ? n.doubleValue()
                        : Double.NaN).toList());
                continue;
            }
            if (!(e.getValue() instanceof Number n)) {
                continue;
            }
            if (e.getKey().equals(SECONDS)) {
                seconds = n.doubleValue();
            } else {
                outcomes.put(e.getKey(), n.doubleValue());
            }
        }
        return new Evaluation(task.id(), Collections.unmodifiableMap(task.xs()),
                Collections.unmodifiableMap(outcomes), Collections.unmodifiableMap(details), task.state(), task.worker(), task.created(), task.started(),
                task.finished(), seconds, task.error());
    }

    /** The outcome {@code name}, or empty when the evaluation has none of that name. */
    public OptionalDouble outcome(String name) {
        Double v = outcomes.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** Whether the evaluation finished with a value for {@code outcome}. */
    public boolean has(Outcome outcome) {
        return state == TaskState.FINISHED && outcomes.containsKey(outcome.name());
    }

    /**
     * The time the evaluation kept its worker busy: the objective's own time when known, else the task's run time.
     */
    public double busySeconds() {
        if (!Double.isNaN(seconds)) {
            return seconds;
        }
        if (started == null || finished == null) {
            return 0;
        }
        return (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0;
    }
}
