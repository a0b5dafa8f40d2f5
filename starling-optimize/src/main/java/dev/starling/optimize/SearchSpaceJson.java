package dev.starling.optimize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starling.internal.Json;
import dev.starling.optimize.Parameter.Bool;
import dev.starling.optimize.Parameter.Categorical;
import dev.starling.optimize.Parameter.Condition;
import dev.starling.optimize.Parameter.Int;
import dev.starling.optimize.Parameter.Real;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON format of a {@link SearchSpace}, behind its {@code fromJson} and {@code toJson}. Stateless, thread-safe. */
final class SearchSpaceJson {
    private SearchSpaceJson() {
    }

    /** Reads a space; see {@link SearchSpace#fromJson} for the format and the errors. */
    static SearchSpace read(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the search space is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new IllegalArgumentException("the search space must be a JSON object with one entry per"
                    + " parameter, e.g. {\"x\": {\"type\": \"real\", \"lower\": 0, \"upper\": 1}}");
        }
        SearchSpace.Builder builder = SearchSpace.builder();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            builder.add(parameter(entry.getKey(), entry.getValue()));
        }
        return builder.build();
    }

    private static Parameter parameter(String name, JsonNode spec) {
        String where = "parameter '" + name + "'";
        if (!spec.isObject()) {
            throw new IllegalArgumentException(where + " must be an object with a \"type\"");
        }
        for (Iterator<String> it = spec.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!List.of("type", "lower", "upper", "log", "values", "when").contains(field)) {
                throw new IllegalArgumentException(where + " has an unknown field \"" + field + "\"; known fields:"
                        + " type, lower, upper, log, values, when");
            }
        }
        String type = spec.path("type").asText("");
        Optional<Condition> when = condition(where, spec.get("when"));
        return switch (type) {
            case "real", "float", "double" -> new Real(name, number(where, spec, "lower"), number(where, spec, "upper"),
                    spec.path("log").asBoolean(false), when);
            case "int", "integer" -> new Int(name, integer(where, spec, "lower"), integer(where, spec, "upper"), when);
            case "categorical" -> {
                JsonNode values = spec.get("values");
                if (values == null || !values.isArray()) {
                    throw new IllegalArgumentException(where + " needs \"values\": a list of strings");
                }
                List<String> list = new ArrayList<>();
                values.forEach(v -> list.add(v.asText()));
                yield new Categorical(name, list, when);
            }
            case "bool", "boolean" -> new Bool(name, when);
            default -> throw new IllegalArgumentException(where + " has type \"" + type + "\"; use one of real, int,"
                    + " categorical, bool");
        };
    }

    private static double number(String where, JsonNode spec, String field) {
        JsonNode v = spec.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(where + " needs a number \"" + field + "\"");
        }
        return v.doubleValue();
    }

    private static int integer(String where, JsonNode spec, String field) {
        JsonNode v = spec.get(field);
        if (v == null || !v.canConvertToInt() || v.doubleValue() != Math.rint(v.doubleValue())) {
            throw new IllegalArgumentException(where + " needs an integer \"" + field + "\"");
        }
        return v.intValue();
    }

    private static Optional<Condition> condition(String where, JsonNode when) {
        if (when == null) {
            return Optional.empty();
        }
        if (!when.isObject() || when.size() != 1) {
            throw new IllegalArgumentException(where + ": \"when\" must name one parent parameter and its values,"
                    + " e.g. {\"booster\": [\"dart\"]}");
        }
        Map.Entry<String, JsonNode> entry = when.properties().iterator().next();
        List<Object> values = new ArrayList<>();
        JsonNode v = entry.getValue();
        for (JsonNode item : v.isArray() ? v : Json.mapper().createArrayNode().add(v)) {
            values.add(item.isBoolean() ? item.booleanValue() : item.isNumber() ? item.numberValue()
                    : item.asText());
        }
        return Optional.of(new Condition(entry.getKey(), values));
    }

    /** Writes a space in the format {@link #read} reads. */
    static String write(SearchSpace space) {
        ObjectNode root = Json.mapper().createObjectNode();
        for (Parameter p : space.parameters()) {
            ObjectNode spec = root.putObject(p.name());
            switch (p) {
                case Real r -> {
                    spec.put("type", "real").put("lower", r.lower()).put("upper", r.upper());
                    if (r.log()) {
                        spec.put("log", true);
                    }
                }
                case Int i -> spec.put("type", "int").put("lower", i.lower()).put("upper", i.upper());
                case Categorical c -> {
                    ArrayNode values = spec.put("type", "categorical").putArray("values");
                    c.values().forEach(values::add);
                }
                case Bool b -> spec.put("type", "bool");
            }
            p.when().ifPresent(c -> spec.putObject("when").set(c.parent(), Json.mapper().valueToTree(c.values())));
        }
        return root.toString();
    }
}
