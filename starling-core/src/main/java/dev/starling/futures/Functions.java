package dev.starling.futures;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starling.PayloadException;
import dev.starling.QueueLoop;
import dev.starling.StarlingException;
import dev.starling.TaskContext;
import dev.starling.internal.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The functions a worker runs, bound to their names: a queue loop that runs each task's named function on its input.
 * In one JVM, build one with lambdas and start workers on it: {@code controller.startWorkers(2,
 * Functions.builder().add(SQUARE, (x, task) -> x * x).build())}. For worker processes and other machines, subclass it
 * with a public no-arg constructor and name the class: {@code starling worker --functions com.example.MyFunctions}.
 * <pre>{@code
 * public final class MyFunctions extends Functions {
 *     public MyFunctions() {
 *         super(builder().add(SQUARE, (x, task) -> x * x));
 *     }
 * }
 * }</pre>
 * Immutable once built, and thread-safe as long as the bound bodies are.
 */
public class Functions implements QueueLoop {
    /** The field of a task's inputs that names its function. */
    static final String FUNCTION = "function";
    /** The field of a task's inputs that holds the function's input. */
    static final String INPUT = "input";
    /** The field of a task's outputs that holds the function's output. */
    static final String OUTPUT = "output";

    private final Map<String, Binding<?, ?>> bindings;

    /** The functions added to {@code builder}. */
    protected Functions(Builder builder) {
        this.bindings = Map.copyOf(builder.bindings);
    }

    /** A builder with no functions. */
    public static Builder builder() {
        return new Builder();
    }

    /** The names of the functions bound here. */
    public final Set<String> names() {
        return bindings.keySet();
    }

    /**
     * Runs the task's function on its input.
     *
     * @throws StarlingException when no function of the task's name is bound here
     * @throws PayloadException  when the task's input does not bind to the function's input type
     */
    @Override
    public final Object handle(TaskContext task) throws Exception {
        JsonNode call = Json.tree(task.task().xsJson(), "inputs of task " + task.id());
        String name = call.path(FUNCTION).asText("");
        Binding<?, ?> binding = bindings.get(name);
        if (binding == null) {
            throw new StarlingException("task " + task.id() + " calls function '" + name + "', which worker "
                    + task.worker().workerId() + " does not have (it has " + names() + "); start its workers with"
                    + " --functions naming a class that binds it");
        }
        // A map, not a JSON tree: the runtime encodes the outputs, and the output may be null.
        return Collections.singletonMap(OUTPUT, binding.run(call.get(INPUT), task));
    }

    @Override
    public String toString() {
        return "functions " + names();
    }

    /** One function and its body. */
    private record Binding<I, O>(TaskFunction<I, O> function, TaskFunction.Body<I, O> body) {
        O run(JsonNode input, TaskContext task) throws Exception {
            I value;
            try {
                value = Json.mapper().treeToValue(input, function.input());
            } catch (Exception e) {
                throw new PayloadException("cannot read the input of task " + task.id() + " as "
                        + function.input().getSimpleName() + " for function '" + function.name() + "': "
                        + e.getMessage(), e);
            }
            return body.apply(value, task);
        }
    }

    /** Collects functions; not thread-safe. */
    public static final class Builder {
        private final Map<String, Binding<?, ?>> bindings = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Binds {@code body} to {@code function}.
         *
         * @throws IllegalArgumentException when a function of the same name is bound already
         */
        public <I, O> Builder add(TaskFunction<I, O> function, TaskFunction.Body<I, O> body) {
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(body, "body");
            if (bindings.putIfAbsent(function.name(), new Binding<>(function, body)) != null) {
                throw new IllegalArgumentException("function '" + function.name() + "' is bound twice");
            }
            return this;
        }

        /** The functions added so far. */
        public Functions build() {
            return new Functions(this);
        }
    }
}
