package dev.starling.algorithms;

import java.util.List;

/**
 * An iterative algorithm as three steps (AsynchronousIterativeAlgorithms.jl's contract): {@link #init} on the central
 * node, {@link #step} on a worker against that worker's problem, and a central step that turns answers into the next
 * query — {@link #central(Answer, Object)} in the asynchronous mode, {@link #central(List, Object)} in the
 * synchronous one. Queries and answers travel as JSON (records, numbers, or {@code double[]} and {@code double[][]},
 * which go in binary form). An algorithm is a public class with a public no-argument constructor, so that worker
 * processes can create it by name; it keeps its state in the central step's own fields, which only the central node
 * uses, and must be stateless on workers.
 *
 * @param <P> the problem: each worker's share of the data, and the central node's own instance
 * @param <Q> the query
 * @param <A> the answer
 */
public interface Algorithm<P, Q, A> {

    /** The type of the queries, for decoding them on workers. */
    Class<Q> queryType();

    /** The type of the answers, for decoding them on the central node. */
    Class<A> answerType();

    /** The first query, from the central node's problem. */
    Q init(P problem);

    /** A worker's answer to {@code query} against its own problem. */
    A step(Q query, P problem) throws Exception;

    /** The asynchronous central step: the next query after one more answer. */
    default Q central(Answer<A> answer, P problem) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no asynchronous central step");
    }

    /** The synchronous central step: the next query from every worker's answer to the same query, by worker. */
    default Q central(List<Answer<A>> answers, P problem) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no synchronous central step");
    }

    /**
     * A number that tells how far the query is from the solution (a loss, a residual), recorded in the history after
     * each central step and usable in stop criteria; NaN (the default) for none.
     */
    default double metric(Q query, P problem) {
        return Double.NaN;
    }
}
