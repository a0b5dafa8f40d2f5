/**
 * Implementation of the core: the worker runtime, the JSON codec and helpers. Not exported; no compatibility promise.
 */
package dev.starling.internal;
