package dev.starling.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.PayloadException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hostile and broken payloads: each is an error that names the problem, never a silent loss. */
class JsonTest {

    @Test
    void aKeyTwice_isAnError_notTheLastOneWins() {
        assertThatThrownBy(() -> Json.toMap("{\"y\": 1, \"y\": 2}", "outputs of task 3"))
                .isInstanceOf(PayloadException.class).hasMessageContaining("outputs of task 3")
                .hasMessageContaining("Duplicate field 'y'");
        assertThatThrownBy(() -> Json.checkObject("{\"a\": {\"b\": 1, \"b\": 1}}", "inputs"))
                .isInstanceOf(PayloadException.class).hasMessageContaining("Duplicate field 'b'");
    }

    @Test
    void nanAndInfinity_areRefusedNamingTheField() {
        assertThatThrownBy(() -> Json.object(Map.of("loss", Double.NaN), "outputs of task 7"))
                .isInstanceOf(PayloadException.class).hasMessageContaining("outputs of task 7")
                .hasMessageContaining("field 'loss' is NaN, which JSON cannot hold");
        record Point(double x, float y) {
        }
        assertThatThrownBy(() -> Json.object(new Point(1, Float.POSITIVE_INFINITY), "inputs"))
                .hasMessageContaining("field 'y' is Infinity");
        assertThat(Json.object(new Point(1.5, 2f), "inputs")).isEqualTo("{\"x\":1.5,\"y\":2.0}");
    }

    @Test
    void deeplyNestedJson_isRefusedBothWays() {
        Map<String, Object> deep = new HashMap<>();
        Map<String, Object> at = deep;
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> next = new HashMap<>();
            at.put("a", next);
            at = next;
        }
        assertThatThrownBy(() -> Json.object(deep, "inputs")).isInstanceOf(PayloadException.class)
                .hasMessageContaining("nesting depth");
        String nested = "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000);
        assertThatThrownBy(() -> Json.toMap(nested, "outputs")).isInstanceOf(PayloadException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void tenMegabytes_pass_andTheLimitIsConfigurable() {
        String big = "x".repeat(10 << 20);
        String json = Json.object(Map.of("blob", big), "inputs");
        assertThat(Json.toMap(json, "inputs")).containsEntry("blob", big);

        System.setProperty(Json.MAX_PAYLOAD_PROPERTY, Integer.toString(1 << 20));
        try {
            assertThatThrownBy(() -> Json.object(Map.of("blob", big), "inputs of a pushed task"))
                    .isInstanceOf(PayloadException.class)
                    .hasMessageContaining("inputs of a pushed task are 10485771 characters of JSON, more than the"
                            + " limit of 1048576 bytes")
                    .hasMessageContaining("-Dstarling.maxPayloadBytes");
            assertThatThrownBy(() -> Json.checkObject(json, "outputs")).hasMessageContaining("more than the limit");
        } finally {
            System.clearProperty(Json.MAX_PAYLOAD_PROPERTY);
        }
    }
}
