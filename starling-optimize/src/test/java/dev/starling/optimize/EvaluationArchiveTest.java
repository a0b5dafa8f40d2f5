package dev.starling.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.WorkerOptions;
import dev.starling.WorkerSession;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The archive's ranking. */
class EvaluationArchiveTest {

    @Test
    void top_isTheStableSortByLoss_cutToK_withTiesInArchiveOrder_andFailuresLeftOut() {
        try (Store store = Store.memory()) {
            Network network = Network.builder(store, "top").create();
            Random random = new Random(3);
            try (WorkerSession session = network.openSession(WorkerOptions.defaults())) {
                for (int i = 0; i < 300; i++) {
                    Task t = session.create(Map.of("x", i)).orElseThrow();
                    if (i % 17 == 0) {
                        session.fail(t, new IllegalStateException("no value"));
                    } else {
                        // Few distinct values, so that ties are many.
                        session.finish(t, Map.of("y", (double) random.nextInt(20)));
                    }
                }
            }
            for (Outcome outcome : List.of(Outcome.minimize("y"), Outcome.maximize("y"))) {
                EvaluationArchive archive = EvaluationArchive.of(network, outcome);
                Comparator<Evaluation> byLoss = Comparator.comparingDouble(
                        e -> outcome.loss(e.outcomes().get("y")));
                for (int k : new int[] {0, 1, 10, 280, 400}) {
                    List<Evaluation> expected = archive.evaluations().stream().filter(e -> e.has(outcome))
                            .sorted(byLoss).limit(k).toList();
                    assertThat(archive.top(k)).as("%s, top %d", outcome, k).extracting(Evaluation::id)
                            .containsExactlyElementsOf(expected.stream().map(Evaluation::id).toList());
                }
            }
        }
    }
}
