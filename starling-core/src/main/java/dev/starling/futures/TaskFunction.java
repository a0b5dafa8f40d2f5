package dev.starling.futures;

import dev.starling.TaskContext;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The declaration of a function that workers run by name: its name and the types of its input and output. The
 * submitter and the workers share the declaration (typically as a constant); the workers bind code to it in a
 * {@link Functions}. Inputs and outputs travel as JSON, so they are records, maps, lists, strings, numbers or arrays.
 * Immutable and thread-safe.
 *
 * @param name   the function's name: letters, digits and {@code . _ - :}, at most 200 characters
 * @param input  the type of its input
 * @param output the type of its output
 * @param <I>    the input type
 * @param <O>    the output type
 */
public record TaskFunction<I, O>(String name, Class<I> input, Class<O> output) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    public TaskFunction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a function name has 1 to 200 letters, digits or . _ - :, was '"
                    + name + "'");
        }
    }

    /** Declares the function {@code name} from {@code input} to {@code output}. */
    public static <I, O> TaskFunction<I, O> of(String name, Class<I> input, Class<O> output) {
        return new TaskFunction<>(name, input, output);
    }

    /**
     * The code bound to a function, run on a worker. An exception fails the task with the exception's class, message
     * and stack trace; an interrupt means the task was cancelled (or timed out) and its result is discarded.
     *
     * @param <I> the input type
     * @param <O> the output type
     */
    @FunctionalInterface
    public interface Body<I, O> {

        /** Computes the output for {@code input}; {@code task} is the running task (its worker, log, seed). */
        O apply(I input, TaskContext task) throws Exception;
    }
}
