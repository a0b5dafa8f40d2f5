/**
 * The in-process memory store, the default. Lock-free task table (immutable task snapshots replaced by
 * compare-and-set), a blocking queue of task ids, an append-only completion log; no global lock anywhere.
 */
package dev.starling.internal.memory;
