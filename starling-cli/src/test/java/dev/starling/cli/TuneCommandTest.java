package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.testkit.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** starling tune on a generated CSV read by the real loader, with both real learners. */
@Timeout(180)
class TuneCommandTest extends ConsoleTest {
    private static final String SUMMARY = "best auc=\\S+ evaluations=%d workers=%d utilization=\\S+";

    @TempDir
    Path dir;

    /** 300 rows: a learnable yes/no label from two numbers (one with gaps) and a colour. */
    private Path data() throws IOException {
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("x1,x2,colour,label\n");
        for (int i = 0; i < 300; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            String colour = List.of("red", "green", "blue").get(random.nextInt(3));
            double score = 1.5 * x1 - x2 * x2 + (colour.equals("red") ? 1 : 0) + 0.5 * random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.4f,%s,%s,%s%n", x1, i % 10 == 0 ? "" : String.format(Locale.ROOT,
                    "%.4f", x2), colour, score > 0 ? "yes" : "no"));
        }
        Path file = dir.resolve("points.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void xgboost_beatsNothingWorseThanChance_writesFiles_andEndsWithTheSummary() throws Exception {
        Path csv = dir.resolve("evals.csv");
        Path png = dir.resolve("best.png");

        assertThat(Main.run("tune", "xgboost", "--data", data().toString(), "--target", "label=yes", "--folds", "3",
                "--evals", "8", "--workers", "2", "--optimizer", "random", "--csv", csv.toString(), "--plot",
                png.toString())).as(errors()).isZero();

        assertThat(output()).contains("3-fold CV, maximize auc").contains("learner defaults")
                .contains("best configuration's auc per fold: ").contains("defaults");
        assertThat(lastLine()).matches(String.format(SUMMARY, 8, 2));
        assertThat(Double.parseDouble(lastLine().split("[= ]")[2])).isGreaterThan(0.75);
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows).hasSize(9);
        assertThat(rows.getFirst()).contains("auc", "logloss", "accuracy", "error", "time", "auc_folds");
        assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(1000);
    }

    @Test
    void lightgbm_inWorkerProcessesOnRedis_rebuildsTheObjectiveFromItsSettings() throws Exception {
        assertThat(Main.run("tune", "lightgbm", "--data", data().toString(), "--target", "label=yes", "--folds",
                "3", "--evals", "6", "--processes", "2", "--no-defaults", "--store", TestRedis.url(),
                "--network", "tune-processes")).as(errors()).isZero();

        assertThat(output()).doesNotContain("learner defaults");
        assertThat(lastLine()).matches(String.format(SUMMARY, 6, 2));
    }

    @Test
    void badInput_isAUsageErrorThatSaysWhatToDo() throws Exception {
        String file = data().toString();
        assertThat(Main.run("tune", "catboost", "--data", file, "--target", "label=yes")).isEqualTo(2);
        assertThat(errors()).contains("unknown learner 'catboost'; known: xgboost, lightgbm");

        assertThat(Main.run("tune", "--data", file)).isEqualTo(2);
        assertThat(errors()).contains("has no default target").contains("x1, x2, colour, label");

        assertThat(Main.run("tune", "--data", file, "--target", "x1")).isEqualTo(2);
        assertThat(errors()).contains("binary target");

        Path space = dir.resolve("space.json");
        Files.writeString(space, "{\"max_dpeth\": {\"type\": \"int\", \"lower\": 1, \"upper\": 3}}");
        assertThat(Main.run("tune", "--data", file, "--target", "label=yes", "--space", space.toString()))
                .isEqualTo(2);
        assertThat(errors()).contains("xgboost has no parameter max_dpeth").contains("max_depth");

        assertThat(Main.run("tune", "--data", file, "--target", "label=yes", "--metric", "f1")).isEqualTo(2);
        assertThat(errors()).contains("unknown metric 'f1'");
    }

    @Test
    void everyConfigurationRefused_exitsNonZero_withTheLearnersReason() throws Exception {
        Path space = dir.resolve("refused.json");
        Files.writeString(space, "{\"num_leaves\": {\"type\": \"int\", \"lower\": 0, \"upper\": 1}}");

        assertThat(Main.run("tune", "lightgbm", "--data", data().toString(), "--target", "label=yes", "--folds",
                "3", "--evals", "3", "--optimizer", "random", "--no-defaults", "--space", space.toString()))
                .isEqualTo(1);

        assertThat(output()).contains("3 evaluations (3 failed)");
        assertThat(errors()).contains("no evaluation finished").contains("num_leaves");
    }

    @Test
    void asha_spendsTheBoostingRoundsAsItsFidelity() throws Exception {
        Path csv = dir.resolve("asha.csv");

        assertThat(Main.run("tune", "xgboost", "--data", data().toString(), "--target", "label=yes", "--folds", "3",
                "--evals", "20", "--optimizer", "asha", "--no-defaults", "--csv", csv.toString()))
                .as(errors()).isZero();

        assertThat(lastLine()).matches(String.format(SUMMARY, 20, 2));
        List<String> rows = Files.readAllLines(csv);
        int column = List.of(rows.getFirst().split(",")).indexOf("num_boost_round");
        List<String> rounds = rows.subList(1, rows.size()).stream().map(r -> r.split(",")[column]).toList();
        // The default space's rounds run from 10 to 500: rungs 10, 30, 90, 270.
        assertThat(rounds).containsAnyOf("30", "90").allMatch(r -> List.of("10", "30", "90", "270").contains(r));
        // What ASHA guarantees: a configuration reaches a rung only after it was evaluated on the rung below, so
        // each rung holds a subset of the configurations of the rung below (and no more of them).
        List<String> header = List.of(rows.getFirst().split(","));
        List<Integer> parameters = java.util.stream.IntStream.range(header.indexOf("seconds") + 1,
                header.indexOf("auc")).filter(i -> i != column).boxed().toList();
        Map<String, java.util.Set<String>> byRung = new java.util.HashMap<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            String config = String.join(",", parameters.stream().map(i -> cells[i]).toList());
            byRung.computeIfAbsent(cells[column], r -> new java.util.HashSet<>()).add(config);
        }
        List<String> rungs = List.of("10", "30", "90", "270");
        for (int k = 1; k < rungs.size(); k++) {
            assertThat(byRung.getOrDefault(rungs.get(k - 1), java.util.Set.of()))
                    .containsAll(byRung.getOrDefault(rungs.get(k), java.util.Set.of()));
        }
        assertThat(byRung.get("10").size()).isGreaterThan(byRung.get("30").size());
    }

    @Test
    void ashaWithoutAFidelity_inOptimize_isAUsageError() {
        assertThat(Main.run("optimize", "--problem", "branin", "--optimizer", "asha")).isEqualTo(2);
        assertThat(errors()).contains("needs --fidelity NAME");
    }

    @Test
    void twoOutcomes_printTheParetoFront_beforeTheSummary() throws Exception {
        assertThat(Main.run("tune", "xgboost", "--data", data().toString(), "--target", "label=yes", "--folds", "3",
                "--evals", "10", "--outcome", "auc,time", "--no-defaults")).as(errors()).isZero();

        assertThat(output()).containsPattern("Pareto front of maximize auc, minimize time: \\d+ of 10 evaluations,"
                + " hypervolume \\S+");
        assertThat(lastLine()).matches(String.format(SUMMARY, 10, 2));

        assertThat(Main.run("tune", "--data", data().toString(), "--target", "label=yes", "--outcome", "auc,f1"))
                .isEqualTo(2);
        assertThat(errors()).contains("unknown outcome 'f1'");
        assertThat(Main.run("tune", "--data", data().toString(), "--target", "label=yes", "--outcome", ","))
                .isEqualTo(2);
        assertThat(errors()).contains("--outcome needs at least one NAME");
        assertThat(Main.run("tune", "--data", data().toString(), "--target", "label=yes", "--outcome", "auc,time",
                "--optimizer", "asha")).isEqualTo(2);
        assertThat(errors()).contains("asha optimizes one outcome");
    }

    @Test
    void cv_scoresOneConfigurationOnTheSameFoldsEveryTime_andLinesFromStandardInput() throws Exception {
        String file = data().toString();
        String[] args = {"cv", "--data", file, "--target", "label=yes", "--folds", "3", "--config",
            "{\"eta\": 0.3, \"num_boost_round\": 20}"};
        assertThat(Main.run(args)).as(errors()).isZero();
        String first = lastLine();
        assertThat(first).startsWith("{\"auc\":").contains("\"auc_folds\":[").contains("\"time\":");
        out.reset();
        assertThat(Main.run(args)).isZero();
        // The same folds and seed: the same scores (the time differs).
        assertThat(lastLine().replaceAll("\"time\":[^,]+", "")).isEqualTo(first.replaceAll("\"time\":[^,]+", ""));

        assertThat(Main.run("cv", "--data", file, "--target", "label=yes", "--config", "{\"etaa\": 1}")).isEqualTo(1);
        assertThat(errors()).contains("xgboost has no parameter etaa");

        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(("{\"max_depth\": 2}\nnot json\n\n{\"lambda\": 5}\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            out.reset();
            assertThat(Main.run("cv", "--data", file, "--target", "label=yes", "--folds", "3")).isZero();
        } finally {
            System.setIn(stdin);
        }
        List<String> lines = output().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("{\"auc\":");
        assertThat(lines.get(1)).startsWith("{\"failed\":\"not a JSON object");
        assertThat(lines.get(2)).startsWith("{\"auc\":");
    }

    @Test
    void replay_simulatesManyMoreWorkersThanCores_fromARecordedRun() throws Exception {
        Path recorded = dir.resolve("recorded.jsonl");
        assertThat(Main.run("tune", "xgboost", "--data", data().toString(), "--target", "label=yes", "--folds", "3",
                "--evals", "12", "--optimizer", "random", "--no-defaults", "--jsonl", recorded.toString()))
                .as(errors()).isZero();
        out.reset();

        assertThat(Main.run("tune", "xgboost", "--replay", recorded.toString(), "--simulate", "--workers", "64",
                "--evals", "640", "--optimizer", "cbo")).as(errors()).isZero();

        assertThat(output()).contains("a replay of 12 evaluations from " + recorded)
                .containsPattern("simulated: [0-9.]+ s of virtual time; proposals \\d+: median [0-9.]+ ms")
                .contains("the central proposer was busy").doesNotContain("learner defaults");
        assertThat(lastLine()).matches(String.format(SUMMARY, 640, 64));

        assertThat(Main.run("tune", "--simulate")).isEqualTo(2);
        assertThat(errors()).contains("--simulate needs --replay FILE");
        assertThat(Main.run("tune", "--replay", dir.resolve("nothing.jsonl").toString())).isEqualTo(2);
        assertThat(errors()).contains("nothing.jsonl");
    }
}
