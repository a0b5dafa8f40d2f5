package dev.starling.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The binary encoding of numeric arrays in payloads: a {@code double[]} is written as {@code {"f64": BASE64}}, the
 * Base64 text of its values as little-endian IEEE 754 doubles, and a {@code double[][]} as {@code {"f64": BASE64,
 * "rows": R, "cols": C}} (row-major; rows must be of equal length, or it is written as an array of vectors). That is
 * 10.7 characters per value instead of the 17 to 24 of decimal text, every bit kept, with no decimal formatting or
 * parsing. Readers also take plain JSON arrays, so a payload written by another language needs no encoder. Used by
 * the futures' payloads; the Jackson module is stateless.
 */
public final class NumericArrays {
    static final String DATA = "f64";
    static final String ROWS = "rows";
    static final String COLS = "cols";

    private NumericArrays() {
    }

    /** The Jackson module that writes and reads {@code double[]} and {@code double[][]} in the binary form. */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("starling-numeric-arrays");
        module.addSerializer(double[].class, new VectorSerializer());
        module.addDeserializer(double[].class, new VectorDeserializer());
        module.addSerializer(double[][].class, new MatrixSerializer());
        module.addDeserializer(double[][].class, new MatrixDeserializer());
        return module;
    }

    static String encode(double[] values, int from, int length, ByteBuffer buffer) {
        buffer.clear();
        buffer.asDoubleBuffer().put(values, from, length);
        buffer.position(0).limit(length * Double.BYTES);
        return Base64.getEncoder().encodeToString(toArray(buffer));
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    static double[] decode(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.remaining() % Double.BYTES != 0) {
            throw new IllegalArgumentException("binary array of " + bytes.remaining() + " bytes, not a whole number of"
                    + " doubles");
        }
        double[] values = new double[bytes.remaining() / Double.BYTES];
        bytes.asDoubleBuffer().get(values);
        return values;
    }

    private static ByteBuffer buffer(int doubles) {
        return ByteBuffer.allocate(doubles * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static final class VectorSerializer extends JsonSerializer<double[]> {
        @Override
        public void serialize(double[] value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeStartObject();
            gen.writeStringField(DATA, encode(value, 0, value.length, buffer(value.length)));
            gen.writeEndObject();
        }
    }

    private static final class MatrixSerializer extends JsonSerializer<double[][]> {
        @Override
        public void serialize(double[][] value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            int cols = value.length == 0 ? 0 : value[0].length;
            for (double[] row : value) {
                if (row.length != cols) {
                    gen.writeStartArray();
                    for (double[] r : value) {
                        serializers.findValueSerializer(double[].class).serialize(r, gen, serializers);
                    }
                    gen.writeEndArray();
                    return;
                }
            }
            ByteBuffer buffer = buffer(value.length * cols);
            for (double[] row : value) {
                buffer.asDoubleBuffer().put(row);
                buffer.position(buffer.position() + cols * Double.BYTES);
            }
            buffer.flip();
            gen.writeStartObject();
            gen.writeStringField(DATA, Base64.getEncoder().encodeToString(toArray(buffer)));
            gen.writeNumberField(ROWS, value.length);
            gen.writeNumberField(COLS, cols);
            gen.writeEndObject();
        }
    }

    private static final class VectorDeserializer extends JsonDeserializer<double[]> {
        @Override
        public double[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                return Binary.read(p, ctxt).values();
            }
            double[] values = new double[16];
            int n = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (!p.currentToken().isNumeric()) {
                    throw ctxt.wrongTokenException(p, double[].class, JsonToken.VALUE_NUMBER_FLOAT,
                            "a numeric array holds numbers");
                }
                if (n == values.length) {
                    values = Arrays.copyOf(values, 2 * n);
                }
                values[n++] = p.getDoubleValue();
            }
            return Arrays.copyOf(values, n);
        }
    }

    private static final class MatrixDeserializer extends JsonDeserializer<double[][]> {
        @Override
        public double[][] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.START_ARRAY) {
                List<double[]> rows = new ArrayList<>();
                VectorDeserializer vector = new VectorDeserializer();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    rows.add(vector.deserialize(p, ctxt));
                }
                return rows.toArray(double[][]::new);
            }
            Binary b = Binary.read(p, ctxt);
            if (b.rows < 0 || b.cols < 0 || (long) b.rows * b.cols != b.values.length) {
                throw ctxt.weirdStringException("", double[][].class, "a binary matrix needs rows x cols = "
                        + b.values.length + " values, was " + b.rows + " x " + b.cols);
            }
            double[][] matrix = new double[b.rows][];
            for (int i = 0; i < b.rows; i++) {
                matrix[i] = Arrays.copyOfRange(b.values, i * b.cols, (i + 1) * b.cols);
            }
            return matrix;
        }
    }

    /** The fields of a binary array object. */
    private record Binary(double[] values, int rows, int cols) {
        static Binary read(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw ctxt.wrongTokenException(p, double[].class, JsonToken.START_OBJECT,
                        "a numeric array is a JSON array or {\"f64\": BASE64}");
            }
            double[] values = null;
            int rows = -1;
            int cols = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case DATA -> {
                        try {
                            values = decode(p.getText());
                        } catch (IllegalArgumentException e) {
                            throw ctxt.weirdStringException(p.getText(), double[].class, e.getMessage());
                        }
                    }
                    case ROWS -> rows = p.getIntValue();
                    case COLS -> cols = p.getIntValue();
                    default -> p.skipChildren();
                }
            }
            if (values == null) {
                throw ctxt.weirdStringException("", double[].class, "a binary array needs its \"f64\" field");
            }
            return new Binary(values, rows, cols);
        }
    }
}
