/**
 * Consensus ADMM for l1-regularised least squares (the lasso), as the Dask blog "Asynchronous Optimization Algorithms
 * with Dask" runs it: each chunk of the data lives on one worker, generated there; the central node sends the small
 * consensus vectors out as routed futures and combines the answers, synchronously, on every answer, or on every
 * batch of answers. {@link dev.starling.algorithms.admm.Admm} is the front door.
 */
package dev.starling.algorithms.admm;
