/**
 * The live web dashboard ({@code starling dashboard}): a JSON API over a store's networks, Server-Sent Events for
 * live pages, and the page itself with its script, served from the class path. It reads through the same API as a
 * controller and changes a network only through its token-guarded control endpoints.
 */
package dev.starling.cli.dashboard;
