/**
 * The store SPI: what a store implements so that networks, workers and controllers can run on it. Each operation is
 * narrow and task-oriented, and a store performs each one atomically (on a server: in one round trip). Every store
 * passes the contract suite in {@code starling-testkit}. Users of Starling never call these interfaces directly.
 */
package dev.starling.spi;
