package dev.starling.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work on standard error: a bar on a terminal, a plain line per update otherwise (the
 * {@code starling} script says which with {@code -Dstarling.tty}). Used by one thread.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static Progress start(String name, long total) {
        boolean tty = Boolean.parseBoolean(System.getProperty("starling.tty",
                Boolean.toString(System.console() != null)));
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .showSpeed();
        if (tty) {
            builder.setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(100);
        } else {
            builder.setConsumer(new DelegatingProgressBarConsumer(System.err::println)).setUpdateIntervalMillis(1000);
        }
        return new Progress(builder.build());
    }

    void stepTo(long done) {
        bar.stepTo(done);
    }

    @Override
    public void close() {
        bar.close();
    }
}
