package dev.starling.optimize;

import dev.starling.internal.Json;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The function an optimization evaluates: from a configuration to its outcomes. The result may be a {@link Number}
 * (the outcome {@code y}), a {@code Map} from outcome names to numbers, or a record whose components are numbers. An
 * exception, a missing outcome or a non-finite value makes the evaluation FAILED, with the error recorded; the
 * optimization goes on. Implementations must be thread-safe: every worker of a JVM calls the same instance.
 */
@FunctionalInterface
public interface Objective {

    /** Evaluates one configuration (a map from the active parameters' names to their values). */
    Object evaluate(Map<String, Object> config) throws Exception;

    /**
     * An objective on configurations bound to {@code type}, typically a record with one component per parameter.
     */
    static <T> Objective of(Class<T> type, Function<T> function) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(function, "function");
        return config -> function.apply(Json.mapper().convertValue(config, type));
    }

    /**
     * An objective that runs {@code command} through {@code sh -c} for each evaluation, with the configuration as a
     * JSON object on its standard input, and reads a JSON object of outcomes from its standard output (the whole
     * output, or else its last line that is a JSON object). A non-zero exit, a run longer than {@code timeout}, or
     * output without such an object fails the evaluation, with the tail of the command's standard error.
     */
    static Objective command(String command, Duration timeout) {
        return new CommandObjective(command, timeout);
    }

    /** {@link #command(String, Duration)} with a timeout of one hour. */
    static Objective command(String command) {
        return command(command, Duration.ofHours(1));
    }

    /**
     * An objective that worker processes rebuild from its class and its settings: the class is public and top-level,
     * with a public constructor of one parameter, the settings, which travel to the workers as JSON (so a record of
     * plain values). An objective built from a data file and a few options, such as a learner with
     * cross-validation, is one.
     *
     * @param <S> the type of the settings
     */
    interface Configured<S> extends Objective {
        /** The settings this objective was built from; {@code new ThisClass(settings())} builds an equal one. */
        S settings();
    }

    /** A function of a bound configuration, for {@link #of}. */
    @FunctionalInterface
    interface Function<T> {
        /** Evaluates one configuration. */
        Object apply(T config) throws Exception;
    }
}
