package dev.starling.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.starling.PayloadException;
import java.io.IOException;
import java.util.Map;

/**
 * The one JSON codec of Starling: task payloads are JSON objects, encoded and decoded here. Thread-safe.
 */
public final class Json {
    /** The encoding of an empty payload. */
    public static final String EMPTY = "{}";

    /**
     * The property that sets the largest payload (a task's inputs or outputs, a future's value) in bytes of JSON;
     * default {@value #DEFAULT_MAX_PAYLOAD} (16 MiB).
     */
    public static final String MAX_PAYLOAD_PROPERTY = "starling.maxPayloadBytes";
    public static final int DEFAULT_MAX_PAYLOAD = 16 << 20;

    // A JSON object with a key twice is an error, not "the last one wins": the first value would be lost silently.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** The mapper of task payloads: as {@link #MAPPER}, and NaN or infinite numbers are an error (JSON has none). */
    private static final ObjectMapper PAYLOAD = MAPPER.copy().registerModule(finiteNumbers());
    /** The mapper of futures' payloads: as {@link #PAYLOAD}, with numeric arrays in their binary form. */
    private static final ObjectMapper BINARY = PAYLOAD.copy().registerModule(NumericArrays.module());

    /** Serializers of doubles and floats that refuse NaN and the infinities, naming the field. */
    private static SimpleModule finiteNumbers() {
        SimpleModule module = new SimpleModule("finite-numbers");
        JsonSerializer<Number> finite = new JsonSerializer<>() {
            @Override
            public void serialize(Number value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                double d = value.doubleValue();
                if (!Double.isFinite(d)) {
                    String field = gen.getOutputContext().getCurrentName();
                    throw JsonMappingException.from(gen, (field == null ? "a value" : "field '" + field + "'")
                            + " is " + d + ", which JSON cannot hold; return null, leave it out, or use a string");
                }
                if (value instanceof Float f) {
                    gen.writeNumber(f);
                } else {
                    gen.writeNumber(d);
                }
            }
        };
        module.addSerializer(Double.class, finite);
        module.addSerializer(Double.TYPE, finite);
        module.addSerializer(Float.class, finite);
        module.addSerializer(Float.TYPE, finite);
        return module;
    }

    /** The largest payload, in bytes of JSON. */
    static int maxPayload() {
        return Integer.getInteger(MAX_PAYLOAD_PROPERTY, DEFAULT_MAX_PAYLOAD);
    }

    private static String limited(String json, String what) {
        int limit = maxPayload();
        // A char is at most three bytes of UTF-8: count exactly only when the length says it may be over.
        if ((long) json.length() * 3 > limit && json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > limit) {
            throw new PayloadException(what + " are " + json.length() + " characters of JSON, more than the limit"
                    + " of " + limit + " bytes; keep large data on the workers (scatter it, or load it by name) or"
                    + " raise -D" + MAX_PAYLOAD_PROPERTY, null);
        }
        return json;
    }
    /** The type of a decoded JSON object. */
    public static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private Json() {
    }

    /** The shared mapper, for modules that need a tree or a streaming API. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A JSON object already encoded, which {@link #object} passes through unchanged; for internal encoders that write
     * a fixed shape faster than a mapper does.
     *
     * @param json the JSON object's text
     */
    public record Raw(String json) {
    }

    /**
     * Encodes any value as JSON text (a number, a string, an array, an object, or {@code null}), with
     * {@code double[]} and {@code double[][]} in the binary form of {@link NumericArrays}.
     */
    public static String value(Object value, String what) {
        try {
            return limited(BINARY.writeValueAsString(value), what);
        } catch (JsonProcessingException e) {
            throw new PayloadException("cannot encode " + what + " (" + value.getClass().getName() + ") as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Encodes a value that must become a JSON object: a map, a record or a bean; null and empty maps become {@code {}}.
     *
     * @param what names the value in error messages, e.g. "inputs of a pushed task"
     */
    public static String object(Object value, String what) {
        if (value == null || (value instanceof Map<?, ?> map && map.isEmpty())) {
            return EMPTY;
        }
        if (value instanceof Raw raw) {
            return limited(raw.json(), what);
        }
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Iterable<?> || value.getClass().isArray()) {
            throw new PayloadException(what + " must be a JSON object (a map or a record), was a "
                    + value.getClass().getSimpleName() + ": " + abbreviate(String.valueOf(value)), null);
        }
        try {
            return limited(PAYLOAD.writeValueAsString(value), what);
        } catch (JsonProcessingException e) {
            throw new PayloadException("cannot encode " + what + " (" + value.getClass().getName() + ") as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Checks that {@code json} is a JSON object and returns it unchanged. */
    public static String checkObject(String json, String what) {
        limited(json, what);
        JsonNode node = tree(json, what);
        if (!node.isObject()) {
            throw new PayloadException(what + " must be a JSON object, was: " + abbreviate(json), null);
        }
        return json;
    }

    /** Decodes a JSON object to a map. */
    public static Map<String, Object> toMap(String json, String what) {
        try {
            Map<String, Object> map = MAPPER.readValue(json, MAP);
            if (map == null) {
                throw new PayloadException(what + " must be a JSON object, was: null", null);
            }
            return map;
        } catch (JsonProcessingException e) {
            throw new PayloadException(what + " are not a valid JSON object (" + e.getOriginalMessage() + "): "
                    + abbreviate(json), e);
        }
    }

    /**
     * Binds JSON text written by {@link #value} (or any JSON: numeric arrays may also be plain arrays) to
     * {@code type}.
     */
    public static <T> T bindValue(String json, Class<T> type, String what) {
        return read(BINARY, json, type, what);
    }

    /** Binds JSON text (an object, or any other value) to {@code type}. */
    public static <T> T bind(String json, Class<T> type, String what) {
        return read(MAPPER, json, type, what);
    }

    private static <T> T read(ObjectMapper mapper, String json, Class<T> type, String what) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new PayloadException("cannot read " + what + " as " + type.getSimpleName() + " ("
                    + e.getOriginalMessage() + "): " + abbreviate(json), e);
        }
    }

    /** A value as a JSON tree, numeric arrays in their binary form (as {@link #value} writes them). */
    public static JsonNode valueTree(Object value) {
        return BINARY.valueToTree(value);
    }

    /** Binds a JSON tree made by {@link #valueTree} (or any JSON) to {@code type}. */
    public static <T> T bindTree(JsonNode tree, Class<T> type, String what) {
        try {
            return BINARY.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PayloadException("cannot read " + what + " as " + type.getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }

    /** Parses JSON text to a tree. */
    public static JsonNode tree(String json, String what) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PayloadException(what + " is not valid JSON (" + e.getOriginalMessage() + "): "
                    + abbreviate(json), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
