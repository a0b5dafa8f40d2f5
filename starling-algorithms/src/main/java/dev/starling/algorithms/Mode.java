package dev.starling.algorithms;

/** How answers turn into queries. */
public enum Mode {
    /** Every worker answers the same query version, and the central step sees all answers. */
    SYNC,
    /** Each answer is applied on arrival, and that worker gets the next query at once. */
    ASYNC
}
