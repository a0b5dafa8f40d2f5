package dev.starling.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    /** The space of the example file. */
    static final String EXAMPLE = """
            {"x1": {"type": "real", "lower": -5, "upper": 10},
             "lr": {"type": "real", "lower": 1e-5, "upper": 0.1, "log": true},
             "depth": {"type": "int", "lower": 2, "upper": 12},
             "booster": {"type": "categorical", "values": ["gbtree", "dart"]},
             "rate": {"type": "real", "lower": 0, "upper": 1, "when": {"booster": ["dart"]}},
             "shuffle": {"type": "bool"}}
            """;

    private final SearchSpace space = SearchSpace.fromJson(EXAMPLE);

    @Test
    void sample_respectsBoundsTypesAndDependencies() {
        SplittableRandom random = new SplittableRandom(1);
        Set<Integer> depths = new HashSet<>();
        Set<Object> boosters = new HashSet<>();
        int logSmall = 0;
        for (int i = 0; i < 5_000; i++) {
            Map<String, Object> c = space.sample(random);
            assertThat((Double) c.get("x1")).isBetween(-5.0, 10.0);
            double lr = (Double) c.get("lr");
            assertThat(lr).isBetween(1e-5, 0.1);
            logSmall += lr < 1e-3 ? 1 : 0;
            depths.add((Integer) c.get("depth"));
            boosters.add(c.get("booster"));
            assertThat(c.get("shuffle")).isInstanceOf(Boolean.class);
            if (c.get("booster").equals("dart")) {
                assertThat((Double) c.get("rate")).isBetween(0.0, 1.0);
            } else {
                assertThat(c).doesNotContainKey("rate");
            }
            assertThat(space.validate(c)).isEqualTo(c);
        }
        assertThat(depths).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(boosters).containsExactlyInAnyOrder("gbtree", "dart");
        // log-uniform: [1e-5, 1e-3] spans 2 of the 4 decades, so about half the samples
        assertThat(logSmall).isBetween(2_300, 2_700);
    }

    @Test
    void encode_mapsToTheUnitCubeWithInactiveBelowAndDecodeInvertsIt() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 1_000; i++) {
            Map<String, Object> c = space.sample(random);
            double[] encoded = space.encode(c);
            for (int j = 0; j < encoded.length; j++) {
                String name = space.parameters().get(j).name();
                if (c.containsKey(name)) {
                    assertThat(encoded[j]).isBetween(0.0, 1.0);
                } else {
                    assertThat(encoded[j]).isEqualTo(SearchSpace.INACTIVE);
                }
            }
            Map<String, Object> back = space.decode(encoded);
            assertThat(back.keySet()).isEqualTo(c.keySet());
            assertThat(back.get("depth")).isEqualTo(c.get("depth"));
            assertThat(back.get("booster")).isEqualTo(c.get("booster"));
            assertThat((Double) back.get("lr")).isCloseTo((Double) c.get("lr"), org.assertj.core.data.Percentage
                    .withPercentage(1e-6));
            double[] snapped = new double[encoded.length];
            double[] unit = encoded.clone();
            for (int j = 0; j < unit.length; j++) {
                unit[j] = unit[j] < 0 ? random.nextDouble() : unit[j];
            }
            space.snap(unit, snapped);
            assertThat(snapped).containsExactly(space.encode(space.decode(unit)), org.assertj.core.data.Offset
                    .offset(1e-12));
        }
    }

    @Test
    void parentsComeFirstWhateverTheOrderOfDeclaration() {
        SearchSpace s = SearchSpace.builder().real("rate", 0, 1).when("booster", "dart")
                .categorical("booster", "gbtree", "dart").build();
        assertThat(s.parameters()).extracting(Parameter::name).containsExactly("booster", "rate");
        assertThat(SearchSpace.fromJson(s.toJson())).isEqualTo(s);
        assertThat(SearchSpace.fromJson(space.toJson())).isEqualTo(space);
    }

    @Test
    void designs_haveTheRequestedSizeAndStratify() {
        List<Map<String, Object>> sobol = space.sobol(64, 7);
        assertThat(sobol).hasSize(64).allSatisfy(c -> assertThat(space.validate(c)).isEqualTo(c));
        assertThat(space.sobol(64, 7)).isEqualTo(sobol);
        assertThat(space.sobol(64, 8)).isNotEqualTo(sobol);

        SearchSpace cube = SearchSpace.builder().real("a", 0, 1).real("b", 0, 1).build();
        List<Map<String, Object>> lhs = cube.latinHypercube(50, new SplittableRandom(3));
        for (String p : List.of("a", "b")) {
            Set<Integer> strata = new HashSet<>();
            lhs.forEach(c -> strata.add((int) Math.floor((Double) c.get(p) * 50)));
            assertThat(strata).hasSize(50);
        }
    }

    @Test
    void badSpaces_areRejectedNamingTheProblem() {
        assertThatThrownBy(() -> SearchSpace.builder().real("x", 2, 1).build())
                .hasMessageContaining("'x'").hasMessageContaining("lower bound 2.0 is greater than upper bound 1.0");
        assertThatThrownBy(() -> SearchSpace.builder().integer("n", 5, 1).build())
                .hasMessageContaining("lower bound 5 is greater than upper bound 1");
        assertThatThrownBy(() -> SearchSpace.builder().logReal("lr", 0, 1).build())
                .hasMessageContaining("positive lower bound");
        assertThatThrownBy(() -> SearchSpace.builder().real("x", 0, 1).real("x", 0, 2).build())
                .hasMessageContaining("'x' is defined twice");
        assertThatThrownBy(() -> SearchSpace.builder().real("x", 0, 1).when("nope", "a").build())
                .hasMessageContaining("unknown parameter 'nope'");
        assertThatThrownBy(() -> SearchSpace.builder().categorical("a", "u", "v").when("b", true)
                .bool("b").when("a", "u").build()).hasMessageContaining("cycle");
        assertThatThrownBy(() -> SearchSpace.builder().categorical("a", "u").real("x", 0, 1).when("a", "w").build())
                .hasMessageContaining("'a' must be one of [u]");
        assertThatThrownBy(() -> SearchSpace.fromJson("{\"x\": {\"type\": \"reel\", \"lower\": 0, \"upper\": 1}}"))
                .hasMessageContaining("type \"reel\"");
        assertThatThrownBy(() -> SearchSpace.fromJson("{\"x\": {\"type\": \"real\", \"lower\": 0}}"))
                .hasMessageContaining("\"upper\"");
        assertThatThrownBy(() -> SearchSpace.fromJson("{\"x\": {\"type\": \"real\", \"lower\": 0, \"upper\": 1,"
                + " \"uper\": 2}}")).hasMessageContaining("unknown field \"uper\"");
        assertThatThrownBy(() -> SearchSpace.fromJson("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> SearchSpace.fromJson("{")).hasMessageContaining("not valid JSON");
    }

    @Test
    void badConfigurations_areRejectedNamingTheParameter() {
        Map<String, Object> good = new HashMap<>(Map.of("x1", 0.0, "lr", 0.01, "depth", 3, "booster", "gbtree",
                "shuffle", true));
        assertThat(space.validate(good)).containsEntry("depth", 3);

        assertThatThrownBy(() -> space.validate(with(good, "x2", 1.0))).hasMessageContaining("unknown parameter 'x2'");
        assertThatThrownBy(() -> space.validate(with(good, "x1", 11.0)))
                .hasMessageContaining("'x1' must be in [-5.0, 10.0], was 11.0");
        assertThatThrownBy(() -> space.validate(with(good, "depth", 2.5))).hasMessageContaining("'depth' must be an"
                + " integer");
        assertThatThrownBy(() -> space.validate(with(good, "x1", "one"))).hasMessageContaining("'x1' must be a"
                + " number, was \"one\"");
        assertThatThrownBy(() -> space.validate(with(good, "booster", "xgb")))
                .hasMessageContaining("'booster' must be one of [gbtree, dart]");
        assertThatThrownBy(() -> space.validate(with(good, "rate", 0.5))).hasMessageContaining("'rate' is inactive");
        assertThatThrownBy(() -> space.validate(with(good, "booster", "dart")))
                .hasMessageContaining("lacks active parameter 'rate'");
        assertThatThrownBy(() -> space.validate(with(good, "shuffle", 1))).hasMessageContaining("'shuffle' must be"
                + " true or false");
    }

    private static Map<String, Object> with(Map<String, Object> config, String name, Object value) {
        Map<String, Object> copy = new HashMap<>(config);
        copy.put(name, value);
        return copy;
    }
}
