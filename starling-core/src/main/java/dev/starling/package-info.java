/**
 * Starling's public API. {@link dev.starling.Store} holds shared state ({@code Store.memory()} in process,
 * {@code Store.open("redis://…")} across processes); a {@link dev.starling.Network} is a named group of workers in a
 * store; workers run a {@link dev.starling.WorkerLoop} over {@link dev.starling.Task tasks}; an optional
 * {@link dev.starling.Controller} pushes tasks, waits, fetches results and stops workers.
 */
package dev.starling;
