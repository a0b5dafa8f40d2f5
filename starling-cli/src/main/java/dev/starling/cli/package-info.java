/** The {@code starling} command line: demo and bench, each a picocli subcommand. */
package dev.starling.cli;
