package dev.starling.algorithms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starling.Route;
import dev.starling.TaskContext;
import dev.starling.futures.Functions;
import dev.starling.futures.TaskFunction;
import dev.starling.internal.Classes;
import dev.starling.internal.Json;

/**
 * The worker side of {@link Iteration}: runs an algorithm's worker step against this worker's own problem. Worker
 * {@code i} carries the tag {@link #tag(int) iterate.worker=i}; it creates the algorithm and builds its problem (from
 * its index and the worker count) the first time it needs them and keeps them. Start worker processes with
 * {@code starling worker --functions dev.starling.algorithms.IterationFunctions --tags iterate.worker=I}.
 * Thread-safe.
 */
public final class IterationFunctions extends Functions {
    /** The prefix of the names under which each run's {@link Spec} is scattered ({@code iterate.spec.RUN}). */
    static final String SPEC = "iterate.spec.";
    static final TaskFunction<StepInput, JsonNode> STEP = TaskFunction.of("iterate.step", StepInput.class,
            JsonNode.class);
    private static final String TAG = "iterate.worker=";

    /**
     * What every worker needs to know about the run.
     *
     * @param algorithm the algorithm's class name
     * @param problem   the problem builder's class name
     * @param workers   how many workers the run has
     */
    record Spec(String algorithm, String problem, int workers) {
    }

    /**
     * One worker step's input.
     *
     * @param run     the run, whose spec is scattered as {@code iterate.spec.RUN}
     * @param worker  the index of the worker it is for
     * @param version the query's version
     * @param query   the query, as a JSON tree
     */
    record StepInput(String run, int worker, int version, JsonNode query) {
        /** The route to the worker it is for. */
        Route route() {
            return Route.tag(tag(worker));
        }
    }

    /** The functions. */
    public IterationFunctions() {
        super(builder().add(STEP, IterationFunctions::step));
    }

    /** The tag of worker {@code index}. */
    public static String tag(int index) {
        return TAG + index;
    }

    private static JsonNode step(StepInput input, TaskContext task) throws Exception {
        Spec spec = task.worker().scattered(SPEC + input.run(), Spec.class);
        int index = task.worker().tags().stream().filter(t -> t.startsWith(TAG))
                .mapToInt(t -> Integer.parseInt(t.substring(TAG.length()))).findFirst()
                .orElseThrow(() -> new IllegalStateException("worker " + task.worker().workerId() + " carries no "
                        + TAG + "N tag; start it with --tags " + TAG + "N"));
        if (index != input.worker()) {
            throw new IllegalStateException("worker " + task.worker().workerId() + " is worker " + index
                    + " but got the step of worker " + input.worker());
        }
        @SuppressWarnings("unchecked")
        Algorithm<Object, Object, Object> algorithm = task.worker().local("iterate.algorithm." + input.run(),
                w -> Classes.instantiate(spec.algorithm(), Algorithm.class, "algorithm"));
        @SuppressWarnings("unchecked")
        ProblemBuilder<Object> builder = Classes.instantiate(spec.problem(), ProblemBuilder.class, "problem builder");
        // A worker keeps its problem for the run; a run with the same builder and worker count shares it.
        Object problem = task.worker().local("iterate.problem." + spec.problem() + "/" + spec.workers(),
                w -> builder.worker(index, spec.workers()));
        Object query = Json.bindTree(input.query(), algorithm.queryType(), "query version " + input.version());
        return Json.valueTree(algorithm.step(query, problem));
    }
}
