/**
 * Regularised linear models (least squares, logistic regression) on a network: the problem, split by rows over the
 * workers, with its exact optimum computed centrally; minibatch SGD and SAGA as framework algorithms, each in every
 * mode, with a staleness rule for asynchronous steps.
 */
package dev.starling.algorithms.linear;
