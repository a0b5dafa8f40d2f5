package dev.starling.algorithms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starling.Route;
import dev.starling.TaskContext;
import dev.starling.futures.Functions;
import dev.starling.futures.TaskFunction;
import dev.starling.internal.Classes;
import dev.starling.internal.Json;
import java.time.Duration;

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
    static final TaskFunction<StepInput, StepOutput> STEP = TaskFunction.of("iterate.step", StepInput.class,
            StepOutput.class);
    private static final String TAG = "iterate.worker=";

    /**
     * What every worker needs to know about the run.
     *
     * @param algorithm         the algorithm's class name
     * @param algorithmSettings the settings its constructor takes, or null for its no-argument constructor
     * @param problem           the problem builder's class name
     * @param problemSettings   the settings its constructor takes, or null
     * @param workers           how many workers the run has
     * @param slowdowns         each worker's straggler slowdown, by index (1 is full speed)
     */
    record Spec(String algorithm, JsonNode algorithmSettings, String problem, JsonNode problemSettings, int workers,
                double[] slowdowns) {
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

    /**
     * One worker step's output.
     *
     * @param answer the answer, as a JSON tree
     * @param nanos  how long the step took, straggler sleep included
     */
    record StepOutput(JsonNode answer, long nanos) {
    }

    /** The functions. */
    public IterationFunctions() {
        super(builder().add(STEP, IterationFunctions::step));
    }

    /** The tag of worker {@code index}. */
    public static String tag(int index) {
        return TAG + index;
    }

    private static StepOutput step(StepInput input, TaskContext task) throws Exception {
        long start = System.nanoTime();
        Spec spec = task.worker().scattered(SPEC + input.run(), Spec.class);
        int index = task.worker().tags().stream().filter(t -> t.startsWith(TAG))
                .mapToInt(t -> Integer.parseInt(t.substring(TAG.length()))).findFirst()
                .orElseThrow(() -> new IllegalStateException("worker " + task.worker().workerId() + " carries no "
                        + TAG + "N tag; start it with --tags " + TAG + "N"));
        if (index != input.worker()) {
            throw new IllegalStateException("worker " + task.worker().workerId() + " is worker " + index
                    + " but got the step of worker " + input.worker());
        }
        // A worker keeps its algorithm and its problem for the run; a problem is built again for each run, so that
        // what steps change in it (a random source, SAGA's table) starts afresh and a run repeats.
        @SuppressWarnings("unchecked")
        Algorithm<Object, Object, Object> algorithm = task.worker().local("iterate.algorithm." + input.run(),
                w -> {
                    Classes.checkNamedByStore(spec.algorithm(), "algorithm");
                    return Classes.instantiate(spec.algorithm(), Algorithm.class, "algorithm",
                            spec.algorithmSettings());
                });
        Object problem = task.worker().local("iterate.problem." + input.run(), w -> {
                    Classes.checkNamedByStore(spec.problem(), "problem builder");
                    @SuppressWarnings("unchecked")
                    ProblemBuilder<Object> builder = Classes.instantiate(spec.problem(), ProblemBuilder.class,
                            "problem builder", spec.problemSettings());
                    return builder.worker(index, spec.workers());
                });
        Object query = Json.bindTree(input.query(), algorithm.queryType(), "query version " + input.version());
        long compute = System.nanoTime();
        JsonNode answer = Json.valueTree(algorithm.step(query, problem));
        long computed = System.nanoTime() - compute;
        double slowdown = spec.slowdowns() == null ? 1 : spec.slowdowns()[index];
        if (slowdown > 1) {
            // The straggler model: this worker's steps take `slowdown` times their compute.
            Thread.sleep(Duration.ofNanos((long) ((slowdown - 1) * computed)));
        }
        return new StepOutput(answer, System.nanoTime() - start);
    }
}
