package dev.starling.futures;

import dev.starling.PayloadException;
import dev.starling.QueueLoop;
import dev.starling.StarlingException;
import dev.starling.TaskContext;
import dev.starling.internal.Json;
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
    /** The field of a task's inputs that names its function; see {@link Calls}. */
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
        Calls.Call call = Calls.parse(task.task().xsJson(), "inputs of task " + task.id());
        Binding<?, ?> binding = bindings.get(call.function());
        if (binding == null) {
            throw new StarlingException("task " + task.id() + " calls function '" + call.function() + "', which"
                    + " worker " + task.worker().workerId() + " does not have (it has " + names() + "); start its"
                    + " workers with --functions naming a class that binds it");
        }
        return new Json.Raw(Calls.output(binding.run(call.input(), task), "output of task " + task.id()));
    }

    @Override
    public String toString() {
        return "functions " + names();
    }

    /** One function and its body. */
    private record Binding<I, O>(TaskFunction<I, O> function, TaskFunction.Body<I, O> body) {
        O run(String input, TaskContext task) throws Exception {
            I value = Json.bindValue(input, function.input(), "the input of task " + task.id() + " for function '"
                    + function.name() + "'");
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
