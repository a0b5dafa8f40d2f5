/** JMH micro-benchmarks of Starling's stores and runtime. Not published. */
package dev.starling.benchmarks;
