/**
 * Every PNG picture the command writes, rendered headless with XChart: task streams and progress of any network,
 * the best value of an optimization, ADMM's residuals and iteration histories. One package, so that a picture of a
 * kind (a task stream, a palette, a headless save) is drawn one way everywhere.
 */
package dev.starling.cli.plots;
