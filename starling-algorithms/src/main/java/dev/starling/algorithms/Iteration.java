package dev.starling.algorithms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starling.Controller;
import dev.starling.StarlingException;
import dev.starling.WorkerOptions;
import dev.starling.futures.AsCompleted;
import dev.starling.futures.Futures;
import dev.starling.futures.TaskFuture;
import dev.starling.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * Runs an {@link Algorithm} on a network, in the spirit of AsynchronousIterativeAlgorithms.jl's {@code start}:
 * <pre>{@code
 * Iteration.Result<double[]> r = Iteration.of(GradientDescent.class).problem(Shares.class)
 *         .mode(Mode.ASYNC).stopAt(Stop.iterations(1_000).or(Stop.time(Duration.ofSeconds(30))))
 *         .workers(4).run(controller);
 * }</pre>
 * The run starts {@code workers} worker threads on the controller ({@link IterationFunctions}, worker {@code i} tagged
 * {@code iterate.worker=i}), or uses workers already running with those tags ({@link #startWorkers(boolean)}: worker
 * processes, other machines). Each worker builds its problem once, from its index; queries and answers travel as JSON,
 * numeric arrays in binary form; staleness is exact: the query versions published between a query's send and its
 * answer's apply. An immutable value: each setter returns a new one. {@link #run} is not meant to be called from
 * several threads at once on one network.
 *
 * @param <P> the problem
 * @param <Q> the query
 * @param <A> the answer
 */
public final class Iteration<P, Q, A> {
    private final Class<? extends Algorithm<P, Q, A>> algorithm;
    private final Class<? extends ProblemBuilder<P>> problem;
    private final Mode mode;
    private final Stop stop;
    private final int workers;
    private final boolean startWorkers;

    private Iteration(Class<? extends Algorithm<P, Q, A>> algorithm, Class<? extends ProblemBuilder<P>> problem,
                      Mode mode, Stop stop, int workers, boolean startWorkers) {
        this.algorithm = algorithm;
        this.problem = problem;
        this.mode = mode;
        this.stop = stop;
        this.workers = workers;
        this.startWorkers = startWorkers;
    }

    /** An iteration of {@code algorithm}: asynchronous, 2 workers, stopping after 100 central steps. */
    public static <P, Q, A> Iteration<P, Q, A> of(Class<? extends Algorithm<P, Q, A>> algorithm) {
        return new Iteration<>(Objects.requireNonNull(algorithm, "algorithm"), null, Mode.ASYNC,
                Stop.iterations(100), 2, true);
    }

    /** The class that builds each worker's problem (and the central node's). */
    public Iteration<P, Q, A> problem(Class<? extends ProblemBuilder<P>> builder) {
        return new Iteration<>(algorithm, Objects.requireNonNull(builder, "problem"), mode, stop, workers,
                startWorkers);
    }

    /** The mode. */
    public Iteration<P, Q, A> mode(Mode next) {
        return new Iteration<>(algorithm, problem, Objects.requireNonNull(next, "mode"), stop, workers, startWorkers);
    }

    /** When to stop. */
    public Iteration<P, Q, A> stopAt(Stop criterion) {
        return new Iteration<>(algorithm, problem, mode, Objects.requireNonNull(criterion, "stop"), workers,
                startWorkers);
    }

    /** How many workers. */
    public Iteration<P, Q, A> workers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("an iteration needs at least 1 worker, was " + count);
        }
        return new Iteration<>(algorithm, problem, mode, stop, count, startWorkers);
    }

    /**
     * Whether {@link #run} starts the workers as threads of this JVM (the default), or uses workers already running
     * in the network with the tags {@link IterationFunctions#tag(int)}.
     */
    public Iteration<P, Q, A> startWorkers(boolean start) {
        return new Iteration<>(algorithm, problem, mode, stop, workers, start);
    }

    /**
     * The final query and the history of a run.
     *
     * @param query   the last query
     * @param history what happened
     * @param <Q>     the query type
     */
    public record Result<Q>(Q query, History history) {
    }

    /** Runs the iteration on the controller's network until the stop criterion holds. */
    public Result<Q> run(Controller controller) throws InterruptedException {
        if (problem == null) {
            throw new IllegalStateException("give the iteration a problem: .problem(MyProblem.class)");
        }
        if (mode.kind() == Mode.Kind.QUORUM && mode.parameter() > workers) {
            throw new IllegalArgumentException("a quorum of " + mode.parameter() + " needs at least as many workers,"
                    + " has " + workers);
        }
        Algorithm<P, Q, A> central = instantiate(algorithm);
        P centralProblem = instantiate(problem).central(workers);
        Futures futures = controller.futures();
        String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        futures.scatter(IterationFunctions.SPEC + runId, new IterationFunctions.Spec(algorithm.getName(),
                problem.getName(), workers));
        if (startWorkers) {
            for (int i = 0; i < workers; i++) {
                controller.startWorkers(1, new IterationFunctions(), WorkerOptions.builder().virtualThread(false)
                        .tags(Set.of(IterationFunctions.tag(i))).build());
            }
        }
        Run run = new Run(runId, central, centralProblem, futures);
        return switch (mode.kind()) {
            case SYNC -> run.sync();
            case ASYNC -> run.async(Integer.MAX_VALUE);
            case SSP -> run.async(mode.parameter());
            case QUORUM -> run.quorum(mode.parameter());
        };
    }

    private static <T> T instantiate(Class<T> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new StarlingException(type.getName() + " needs a public no-argument constructor (and must be a"
                    + " public, non-inner class): " + e, e);
        }
    }

    /** One run's central state; confined to the calling thread. */
    private final class Run {
        private final String id;
        private final Algorithm<P, Q, A> central;
        private final P problemOfCentral;
        private final Futures futures;
        private final History history = new History(workers);
        private Q query;
        private int version;

        Run(String id, Algorithm<P, Q, A> central, P problemOfCentral, Futures futures) {
            this.id = id;
            this.central = central;
            this.problemOfCentral = problemOfCentral;
            this.futures = futures;
            this.query = central.init(problemOfCentral);
        }

        private TaskFuture<JsonNode> send(int worker) {
            IterationFunctions.StepInput input = new IterationFunctions.StepInput(id, worker, version,
                    Json.valueTree(query));
            return futures.submit(IterationFunctions.STEP, input, input.route());
        }

        private A decode(TaskFuture<JsonNode> f, int worker) {
            if (f.isCompletedExceptionally()) {
                throw new StarlingException("the worker step of worker " + worker + " failed", f.exceptionNow());
            }
            return Json.bindTree(f.resultNow(), central.answerType(), "answer of worker " + worker);
        }

        Result<Q> sync() throws InterruptedException {
            List<Integer> all = IntStream.range(0, workers).boxed().toList();
            while (true) {
                JsonNode tree = Json.valueTree(query);
                List<IterationFunctions.StepInput> inputs = all.stream()
                        .map(i -> new IterationFunctions.StepInput(id, i, version, tree)).toList();
                // One push for the round.
                List<TaskFuture<JsonNode>> round = futures.map(IterationFunctions.STEP, inputs,
                        IterationFunctions.StepInput::route);
                Futures.gather(round, Duration.ofDays(365));
                List<Answer<A>> answers = new ArrayList<>(workers);
                for (int i : all) {
                    Answer<A> answer = new Answer<>(decode(round.get(i), i), i, version, 0);
                    history.applied(answer);
                    answers.add(answer);
                }
                query = central.central(answers, problemOfCentral);
                version++;
                history.step(0, central.metric(query, problemOfCentral));
                if (stop.test(history)) {
                    return new Result<>(query, history);
                }
            }
        }

        /**
         * Applies each answer on arrival. A worker that has finished {@code done[i]} steps starts step
         * {@code done[i] + 1} only while that is at most {@code min(done) + bound + 1}; otherwise it is held until the
         * slowest worker catches up ({@code bound} = MAX_VALUE: never held).
         */
        Result<Q> async(int bound) throws InterruptedException {
            Map<TaskFuture<JsonNode>, int[]> sent = new HashMap<>();
            AsCompleted<JsonNode> completed = Futures.asCompleted(List.of());
            long[] done = new long[workers];
            boolean[] held = new boolean[workers];
            for (int i = 0; i < workers; i++) {
                dispatch(i, done, sent, completed);
            }
            try {
                while (true) {
                    TaskFuture<JsonNode> f = completed.next(Duration.ofDays(365)).orElseThrow();
                    int[] what = sent.remove(f);
                    Answer<A> answer = new Answer<>(decode(f, what[0]), what[0], what[1], version - what[1]);
                    history.applied(answer);
                    done[what[0]]++;
                    query = central.central(answer, problemOfCentral);
                    version++;
                    history.step(answer.staleness(), central.metric(query, problemOfCentral));
                    if (stop.test(history)) {
                        return new Result<>(query, history);
                    }
                    held[what[0]] = true;
                    long slowest = Arrays.stream(done).min().orElse(0);
                    for (int i = 0; i < workers; i++) {
                        if (held[i] && (bound == Integer.MAX_VALUE || done[i] + 1 <= slowest + bound + 1)) {
                            held[i] = false;
                            dispatch(i, done, sent, completed);
                        }
                    }
                }
            } finally {
                futures.cancel(sent.keySet());
            }
        }

        private void dispatch(int worker, long[] done, Map<TaskFuture<JsonNode>, int[]> sent,
                              AsCompleted<JsonNode> completed) {
            long slowest = Arrays.stream(done).min().orElse(0);
            history.started(done[worker] + 1 - slowest);
            TaskFuture<JsonNode> next = send(worker);
            sent.put(next, new int[] {worker, version});
            completed.add(next);
        }

        /**
         * Runs the synchronous central step on every {@code k} answers that arrive, whatever versions they answer;
         * each worker that answered gets the newest query at once.
         */
        Result<Q> quorum(int k) throws InterruptedException {
            Map<TaskFuture<JsonNode>, int[]> sent = new HashMap<>();
            AsCompleted<JsonNode> completed = Futures.asCompleted(List.of());
            long[] done = new long[workers];
            for (int i = 0; i < workers; i++) {
                dispatch(i, done, sent, completed);
            }
            try {
                List<Answer<A>> arrived = new ArrayList<>();
                List<Integer> waiting = new ArrayList<>();
                while (true) {
                    for (TaskFuture<JsonNode> f : completed.nextBatch(Duration.ofDays(365))) {
                        int[] what = sent.remove(f);
                        Answer<A> answer = new Answer<>(decode(f, what[0]), what[0], what[1], version - what[1]);
                        history.applied(answer);
                        done[what[0]]++;
                        arrived.add(answer);
                        waiting.add(what[0]);
                    }
                    if (arrived.size() < k) {
                        continue;
                    }
                    int staleness = arrived.stream().mapToInt(Answer::staleness).max().orElse(0);
                    query = central.central(List.copyOf(arrived), problemOfCentral);
                    version++;
                    history.step(staleness, central.metric(query, problemOfCentral));
                    arrived.clear();
                    if (stop.test(history)) {
                        return new Result<>(query, history);
                    }
                    for (int worker : waiting) {
                        dispatch(worker, done, sent, completed);
                    }
                    waiting.clear();
                }
            } finally {
                futures.cancel(sent.keySet());
            }
        }
    }
}
