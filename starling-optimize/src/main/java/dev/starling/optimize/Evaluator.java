package dev.starling.optimize;

import dev.starling.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the objective on one configuration and checks its outcomes. Stateless. */
final class Evaluator {
    private Evaluator() {
    }

    /**
     * Evaluates {@code config} as {@code spec} says (sleeping its delay first, inside the measured time).
     *
     * @return the outcomes, plus the seconds spent under {@link Evaluation#SECONDS}
     * @throws Exception from the objective, or an {@link InvalidOutcomeException} for a missing or non-finite outcome
     */
    static Map<String, Object> evaluate(Spec spec, Map<String, Object> config) throws Exception {
        long start = System.nanoTime();
        if (spec.delay().isPositive()) {
            Thread.sleep(spec.delay());
        }
        Object result = spec.objective().evaluate(config);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> outcomes = outcomes(result, spec.outcomes());
        outcomes.put(Evaluation.SECONDS, seconds);
        return outcomes;
    }

    /**
     * The outcomes in an objective's result: a number (the first outcome), a map or a record of numbers.
     *
     * @throws InvalidOutcomeException when a declared outcome is missing, not a number, or not finite
     */
    static Map<String, Object> outcomes(Object result, List<Outcome> declared) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (result instanceof Number number) {
            values.put(declared.getFirst().name(), number.doubleValue());
        } else if (result instanceof Map<?, ?> map) {
            map.forEach((k, v) -> values.put(String.valueOf(k), v));
        } else if (result != null && result.getClass().isRecord()) {
            values.putAll(Json.mapper().convertValue(result, Json.MAP));
        } else {
            throw new InvalidOutcomeException("the objective must return a number, a map or a record of outcomes,"
                    + " returned " + (result == null ? "null" : result.getClass().getName() + ": " + result));
        }
        Map<String, Object> outcomes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getValue() instanceof Number n) {
                outcomes.put(e.getKey(), n.doubleValue());
            }
        }
        for (Outcome outcome : declared) {
            Object v = values.get(outcome.name());
            if (!(v instanceof Number n)) {
                throw new InvalidOutcomeException("the objective returned no number for outcome '" + outcome.name()
                        + "' (it returned " + values + ")");
            }
            if (!Double.isFinite(n.doubleValue())) {
                throw new InvalidOutcomeException("outcome '" + outcome.name() + "' is " + n + ", not a finite"
                        + " number");
            }
        }
        return outcomes;
    }
}
