/**
 * Black-box optimization on a Starling network. {@link dev.starling.optimize.Optimization} is the front door: a
 * {@link dev.starling.optimize.SearchSpace}, an {@link dev.starling.optimize.Objective}, an
 * {@link dev.starling.optimize.Optimizer} (random search, ADBO, centralized BO) and a
 * {@link dev.starling.optimize.Terminator}, run by workers that coordinate only through the network's store; the
 * result is an {@link dev.starling.optimize.EvaluationArchive}. {@link dev.starling.optimize.AskTell} serves users who
 * drive their own loop; {@link dev.starling.optimize.Problem} holds benchmark problems with known optima.
 */
package dev.starling.optimize;
