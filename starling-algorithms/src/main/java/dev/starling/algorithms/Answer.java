package dev.starling.algorithms;

/**
 * One worker's answer, as the central step sees it.
 *
 * @param value     the answer
 * @param worker    the index of the worker that answered (from 0)
 * @param version   the version of the query it answered (the central steps before it was sent)
 * @param staleness the query versions published between the query's send and this answer's apply
 * @param <A>       the answer type
 */
public record Answer<A>(A value, int worker, int version, int staleness) {
}
