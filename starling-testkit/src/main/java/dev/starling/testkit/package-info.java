/**
 * Test support for Starling stores and their users: {@link dev.starling.testkit.StoreContract}, the contract suite
 * every store subclasses, and {@link dev.starling.testkit.ManualClock} for expiry tests that never sleep.
 */
package dev.starling.testkit;
