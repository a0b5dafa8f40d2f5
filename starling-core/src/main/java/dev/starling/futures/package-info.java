/**
 * Futures on a network: a controller submits named functions with inputs ({@link dev.starling.futures.Futures#submit},
 * {@link dev.starling.futures.Futures#map}) and acts on results as they arrive ({@link
 * dev.starling.futures.AsCompleted}, {@link dev.starling.futures.Futures#await}, {@link
 * dev.starling.futures.Futures#gather}); workers run the functions that a {@link dev.starling.futures.Functions}
 * binds to names. Code is never shipped through the store: a function is found by name on the worker.
 */
package dev.starling.futures;
