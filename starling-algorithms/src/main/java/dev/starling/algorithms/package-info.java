/**
 * The init / worker step / central step framework of AsynchronousIterativeAlgorithms.jl on a Starling network: an
 * {@link dev.starling.algorithms.Algorithm} answers queries on each worker against that worker's own problem, and a
 * central step turns answers into the next query, synchronously or asynchronously, until a
 * {@link dev.starling.algorithms.Stop} criterion holds. {@link dev.starling.algorithms.Iteration} runs one and returns
 * its {@link dev.starling.algorithms.History}.
 */
package dev.starling.algorithms;
