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

    /** {@code value} as a list of doubles when it is an array or collection of numbers only, else null. */
    private static List<Double> numbers(Object value) {
        Iterable<?> items;
        if (value instanceof double[] array) {
            return java.util.Arrays.stream(array).boxed().toList();
        } else if (value instanceof Iterable<?> iterable) {
            items = iterable;
        } else {
            return null;
        }
        List<Double> list = new java.util.ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Number n)) {
                return null;
            }
            list.add(n.doubleValue());
        }
        return list;
    }

    /**
     * The outcomes in an objective's result: a number (the first outcome), a map or a record of numbers. Lists (or
     * {@code double[]}) of numbers in a map or record are kept too, as an evaluation's details.
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
            } else if (numbers(e.getValue()) instanceof List<Double> list) {
                outcomes.put(e.getKey(), list);
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
