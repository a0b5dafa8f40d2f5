/** Numerical helpers the algorithms share; not exported. */
package dev.starling.algorithms.internal;
