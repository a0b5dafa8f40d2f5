package dev.starling.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON array of flat records ({@code [{"a": 1, "b": "x"}, ...]}). Columns appear in the order their keys
 * first appear; a key a record lacks, or {@code null}, is missing. A column is numeric when all its values are JSON
 * numbers, else text (booleans as {@code true}/{@code false}). Streams the array, so errors carry the line of the
 * record. Thread-safe: the mapper is shared but never reconfigured.
 */
final class JsonRecords {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonRecords() {
    }

    static List<Column> read(Path file) {
        List<JsonNode> records = new ArrayList<>();
        Map<String, Boolean> numeric = new LinkedHashMap<>();
        try (JsonParser parser = MAPPER.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw Readers.malformed(file, parser.currentTokenLocation().getLineNr(),
                        "expected a JSON array of records ([{...}, ...]), found " + parser.currentToken());
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                int line = parser.currentTokenLocation().getLineNr();
                JsonNode record = parser.readValueAsTree();
                for (Map.Entry<String, JsonNode> field : record.properties()) {
                    JsonNode value = field.getValue();
                    if (value.isContainerNode()) {
                        throw Readers.malformed(file, line, "field '" + field.getKey() + "' is "
                                + (value.isArray() ? "an array" : "an object") + "; records must be flat, with "
                                + "numbers, strings, booleans or null");
                    }
                    numeric.merge(field.getKey(), value.isNumber() || value.isNull(), Boolean::logicalAnd);
                }
                records.add(record);
            }
            if (token != JsonToken.END_ARRAY) {
                throw Readers.malformed(file, parser.currentTokenLocation().getLineNr(),
                        "expected a record ({...}) or the end of the array, found " + token);
            }
        } catch (JsonProcessingException e) {
            throw Readers.malformed(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + file + "': " + e.getMessage(), e);
        }
        List<Column> columns = new ArrayList<>(numeric.size());
        numeric.forEach((name, isNumeric) -> {
            String[] values = new String[records.size()];
            for (int r = 0; r < values.length; r++) {
                JsonNode value = records.get(r).get(name);
                values[r] = value == null || value.isNull() ? null : value.asText();
            }
            columns.add(isNumeric ? Column.numeric(name, values) : Column.text(name, values));
        });
        return columns;
    }
}
