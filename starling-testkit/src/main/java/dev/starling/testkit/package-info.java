/**
 * Test support for Starling stores and their users: {@link dev.starling.testkit.StoreContract}, the contract suite
 * every store subclasses; {@link dev.starling.testkit.RuntimeContract}, the worker runtime's contract on every store;
 * {@link dev.starling.testkit.ManualScheduler} and {@link dev.starling.testkit.ManualClock}, so that expiry and
 * timeouts are tested without sleeping; and {@link dev.starling.testkit.TestRedis}, a real redis-server.
 */
package dev.starling.testkit;
