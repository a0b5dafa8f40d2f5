package dev.starling.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.testkit.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CommandObjectiveTest {
    private static final Map<String, Object> CONFIG = Map.of("x", 3.0, "name", "a b");

    @Test
    void readsTheConfigurationOnStdinAndOutcomesFromStdout() throws Exception {
        // Plain sh and awk, so that the test needs no interpreter: pull x out of the JSON, print logs, then outcomes.
        Objective square = Objective.command("read c; x=$(echo \"$c\" | sed 's/.*\"x\":\\([-0-9.eE]*\\).*/\\1/');"
                + " echo training...; echo \"$x\" | awk '{printf \"{\\\"y\\\": %s, \\\"n\\\": 3}\\n\", $1 * $1}'",
                Duration.ofSeconds(20));

        assertThat(square.evaluate(CONFIG)).isEqualTo(Map.of("y", 9, "n", 3));
    }

    @Test
    void nonZeroExit_failsWithTheStatusAndTheTailOfStderr() {
        Objective failing = Objective.command("echo 'loading data' >&2; echo 'CUDA out of memory' >&2; exit 3",
                Duration.ofSeconds(20));

        assertThatThrownBy(() -> failing.evaluate(CONFIG)).isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("exited with status 3").hasMessageContaining("CUDA out of memory");
    }

    @Test
    void hangingCommand_isKilledAtTheTimeout() throws Exception {
        ManualScheduler time = new ManualScheduler();
        Objective hanging = new CommandObjective("echo started >&2; sleep 60", Duration.ofMinutes(5), time);
        CompletableFuture<Object> evaluation = CompletableFuture.supplyAsync(() -> {
            try {
                return hanging.evaluate(CONFIG);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, Executors.newVirtualThreadPerTaskExecutor());

        // Five minutes of the scheduler's time pass at once, as often as it takes the command to start.
        while (!evaluation.isDone()) {
            time.advance(Duration.ofMinutes(5));
            Thread.onSpinWait();
        }

        assertThatThrownBy(evaluation::join).hasCauseInstanceOf(CommandFailedException.class)
                .hasMessageContaining("timed out after PT5M").hasMessageContaining("sleep 60");
    }

    @Test
    void outputWithoutAJsonObject_failsShowingTheOutput() {
        Objective chatty = Objective.command("cat > /dev/null; echo 'y = 1.5'", Duration.ofSeconds(20));

        assertThatThrownBy(() -> chatty.evaluate(CONFIG)).isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("no JSON object").hasMessageContaining("y = 1.5");
    }

    @Test
    void aFailingCommandInAnOptimization_becomesAFailedEvaluationAndTheRunGoesOn() throws Exception {
        try (dev.starling.Store store = dev.starling.Store.memory()) {
            OptimizationResult result = Optimization.on(dev.starling.Network.open(store, "cmd"))
                    .space(SearchSpace.builder().real("x", -1, 1).build())
                    .objective(Objective.command("read c; case \"$c\" in *'\"x\":-'*) echo negative >&2; exit 1;;"
                            + " esac; echo '{\"y\": 1}'", Duration.ofSeconds(20)))
                    .optimizer(Optimizer.random())
                    .terminator(Terminator.evaluations(12))
                    .workers(3)
                    .run();

            assertThat(result.archive().size()).isEqualTo(12);
            assertThat(result.archive().finished()).isNotEmpty()
                    .allSatisfy(e -> assertThat((Double) e.config().get("x")).isNotNegative());
            assertThat(result.archive().evaluations()).filteredOn(e -> e.error() != null).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.error().message()).contains("exited with status 1")
                            .contains("negative"));
        }
    }
}
