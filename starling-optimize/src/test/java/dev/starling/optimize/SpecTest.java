package dev.starling.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How worker processes rebuild an optimization's objective from the spec kept in the network. */
class SpecTest {
    private static Spec spec(Objective objective) {
        return new Spec(SearchSpace.builder().real("x", 0, 1).build(), List.of(Outcome.minimize("y")), false, objective,
                Spec.describe(objective, null), Duration.ZERO, Optimizer.random(), Terminator.evaluations(3),
                Instant.EPOCH);
    }

    @Test
    void configuredObjective_travelsAsClassAndSettings_andIsRebuiltFromThem() throws Exception {
        Spec spec = spec(new ScaledObjective(new ScaledObjective.Settings(3, "three")));
        assertThat(spec.portable()).isTrue();

        Spec read = Spec.fromJson(spec.toJson()).resolve();

        assertThat(read.objective()).isInstanceOf(ScaledObjective.class);
        assertThat(((ScaledObjective) read.objective()).settings())
                .isEqualTo(new ScaledObjective.Settings(3, "three"));
        assertThat(read.objective().evaluate(Map.of("x", 0.5))).isEqualTo(Map.of("y", 1.5, "trace",
                List.of(1, 2.5)));
    }

    @Test
    void lambda_isNotPortable() {
        assertThat(spec(config -> 1.0).portable()).isFalse();
    }

    @Test
    void listsOfNumbers_areKeptAsDetails_besideTheOutcomes() {
        Map<String, Object> outcomes = Evaluator.outcomes(Map.of("y", 1, "trace", List.of(1, 2.5), "note", "text"),
                List.of(Outcome.minimize("y")));
        assertThat(outcomes).containsOnly(Map.entry("y", 1.0), Map.entry("trace", List.of(1.0, 2.5)));
    }
}
