/**
 * Numerical building blocks of the optimizers: the random-forest surrogate and the Sobol sequence. Public so that the
 * module's other packages can use them, but not exported by module-info; no compatibility promise.
 */
package dev.starling.optimize.internal;
