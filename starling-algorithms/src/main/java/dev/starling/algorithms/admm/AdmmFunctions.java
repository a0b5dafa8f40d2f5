package dev.starling.algorithms.admm;

import dev.starling.Route;
import dev.starling.TaskContext;
import dev.starling.futures.Functions;
import dev.starling.futures.TaskFunction;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The worker side of ADMM: the functions a worker runs for the chunks it carries. A worker carries chunk {@code i}
 * when it has the tag {@link #chunkTag(int) admm.chunk=i}; it generates the chunk from the scattered problem the first
 * time it needs it and keeps it, so the data never travels through the store — only the small vectors do, in binary
 * form. Start workers on this class (threads: {@code new AdmmFunctions()}; processes: {@code starling worker
 * --functions dev.starling.algorithms.admm.AdmmFunctions --tags admm.chunk=0,admm.chunk=2}). Thread-safe.
 */
public final class AdmmFunctions extends Functions {
    /** The name under which the problem is scattered. */
    public static final String PROBLEM = "admm.problem";
    /** The tag of the worker made slower by the problem's straggler factor. */
    public static final String STRAGGLER = "admm.straggler";
    /** One chunk's part of the objective, for the central node's objective and reference. */
    public static final TaskFunction<Integer, Gram> GRAM = TaskFunction.of("admm.gram", Integer.class, Gram.class);
    /** One local update. */
    public static final TaskFunction<Update, Answer> UPDATE = TaskFunction.of("admm.update", Update.class,
            Answer.class);

    /**
     * A local update's inputs.
     *
     * @param chunk     the chunk
     * @param beta      the chunk's last answer (a warm start for the iterative solver)
     * @param z         the consensus
     * @param u         the chunk's scaled dual variable
     * @param straggler how many times slower the worker tagged {@link #STRAGGLER} runs: it sleeps (straggler − 1)
     *                  times its compute after the update; 1 for no straggler
     */
    public record Update(int chunk, double[] beta, double[] z, double[] u, double straggler) {
    }

    /**
     * A local update's answer.
     *
     * @param beta    the chunk's new local solution
     * @param started when the worker began it (epoch microseconds)
     * @param ended   when it was done, straggling included (epoch microseconds)
     */
    public record Answer(double[] beta, long started, long ended) {
    }

    /**
     * A chunk's part of the objective: Σ over its rows of w (y − X z)² = zᵀ G z − 2 cᵀ z + yy.
     *
     * @param g  w XᵀX, row-major k × k
     * @param c  w Xᵀy
     * @param yy w yᵀy
     */
    public record Gram(double[] g, double[] c, double yy) {
    }

    /** The functions. */
    public AdmmFunctions() {
        super(builder()
                .add(GRAM, (chunk, task) -> chunk(task, chunk).gram())
                .add(UPDATE, AdmmFunctions::update));
    }

    /** The tag of the worker that keeps chunk {@code index}. */
    public static String chunkTag(int index) {
        return "admm.chunk=" + index;
    }

    /** The route of chunk {@code index}'s tasks. */
    public static Route route(int index) {
        return Route.tag(chunkTag(index));
    }

    /**
     * The tags of worker {@code worker} of {@code workers}: the chunks {@code i} with {@code i mod workers ==
     * worker}, and {@link #STRAGGLER} for the last worker.
     */
    public static Set<String> tags(int worker, int workers, int chunks) {
        Set<String> tags = new LinkedHashSet<>();
        for (int i = worker; i < chunks; i += workers) {
            tags.add(chunkTag(i));
        }
        if (worker == workers - 1) {
            tags.add(STRAGGLER);
        }
        return tags;
    }

    private static Chunk chunk(TaskContext task, int index) {
        LassoProblem problem = task.worker().scattered(PROBLEM, LassoProblem.class);
        if (!task.worker().tags().contains(chunkTag(index))) {
            throw new IllegalStateException("worker " + task.worker().workerId() + " does not carry chunk " + index
                    + " (its tags are " + task.worker().tags() + "); route chunk tasks with AdmmFunctions.route");
        }
        return task.worker().local("admm.chunk." + index, w -> Chunk.generate(problem, index));
    }

    private static Answer update(Update update, TaskContext task) throws InterruptedException {
        long started = micros(Instant.now());
        long t0 = System.nanoTime();
        double[] beta = chunk(task, update.chunk()).update(update.beta(), update.z(), update.u());
        long compute = System.nanoTime() - t0;
        if (update.straggler() > 1 && task.worker().tags().contains(STRAGGLER)) {
            long nanos = (long) ((update.straggler() - 1) * compute);
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
        return new Answer(beta, started, micros(Instant.now()));
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
