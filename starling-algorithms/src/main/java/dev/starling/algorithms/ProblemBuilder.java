package dev.starling.algorithms;

/**
 * Builds the problem of one worker from its index and the number of workers (AsynchronousIterativeAlgorithms.jl's
 * {@code problem_constructor(pid)}), so that a worker loads or generates only its own share of the data, once. A
 * public class with a public no-argument constructor, named to worker processes.
 *
 * @param <P> the problem
 */
public interface ProblemBuilder<P> {

    /** The problem of worker {@code index} of {@code workers} (index from 0). */
    P worker(int index, int workers);

    /** The central node's problem; by default worker 0's. */
    default P central(int workers) {
        return worker(0, workers);
    }
}
