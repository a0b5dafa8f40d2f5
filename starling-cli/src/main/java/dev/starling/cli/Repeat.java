package dev.starling.cli;

import dev.starling.internal.Durations;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How a command that can keep watching (status --watch, logs --follow) repeats: every {@code --interval}, until
 * interrupted or {@code --updates} times. A picocli mixin.
 */
final class Repeat {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--interval", defaultValue = "1s", description = "how often to read again when watching"
            + " (default: ${DEFAULT-VALUE})")
    private String interval;

    @Option(names = "--updates", description = "when watching, stop after this many reads (default: until"
            + " interrupted)")
    private Long updates;

    /** One read and what it shows. */
    @FunctionalInterface
    interface Step {
        void run(long count);
    }

    /** Runs {@code step} once, or with {@code watching} again every interval until the updates are done. */
    void run(boolean watching, Step step) throws InterruptedException {
        Duration every;
        try {
            every = Durations.parse(interval);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval: " + e.getMessage());
        }
        for (long count = 0; ; count++) {
            step.run(count);
            if (!watching || (updates != null && count + 1 >= updates)) {
                return;
            }
            Thread.sleep(every);
        }
    }
}
