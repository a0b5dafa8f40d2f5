package dev.starling.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads RFC 4180 CSV with a header row: fields separated by commas, records by CRLF or LF, quoted fields with
 * {@code ""} for a quote and line breaks allowed inside. A column is numeric when every non-missing value is a
 * number; empty, {@code ?} and {@code NA} are missing. Stateless and thread-safe.
 */
final class Csv {
    private Csv() {
    }

    static List<Column> read(Path file, String text) {
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        parse(text, file, records, lines);
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty; a CSV file needs a header row of column names");
        }
        List<String> header = records.get(0);
        Set<String> seen = new HashSet<>();
        for (String name : header) {
            if (name.isBlank() || !seen.add(name)) {
                throw Readers.malformed(file, 1, "the header has " + (name.isBlank() ? "an empty" : "a repeated")
                        + " column name '" + name + "'; every column needs its own name");
            }
        }
        int rows = records.size() - 1;
        List<Column> columns = new ArrayList<>(header.size());
        for (int c = 0; c < header.size(); c++) {
            String[] values = new String[rows];
            boolean numeric = true;
            for (int r = 0; r < rows; r++) {
                List<String> record = records.get(r + 1);
                if (record.size() != header.size()) {
                    throw Readers.malformed(file, lines.get(r + 1), "expected " + header.size()
                            + " fields as in the header, found " + record.size());
                }
                String v = record.get(c);
                String t = v.strip();
                values[r] = t.isEmpty() || t.equals("?") || t.equals("NA") ? null : v;
                numeric &= values[r] == null || Column.NUMBER.matcher(t).matches();
            }
            String name = header.get(c);
            columns.add(numeric ? Column.numeric(name, values) : Column.text(name, values));
        }
        return columns;
    }

    /** Splits the text into records, noting the line each starts on; blank lines are skipped. */
    private static void parse(String text, Path file, List<List<String>> records, List<Integer> lines) {
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int start = 1;
        int i = 0;
        int n = text.length();
        boolean blank = true;
        while (i <= n) {
            char c = i < n ? text.charAt(i) : '\n';
            if (c == '"' && field.isEmpty()) {
                int quoteLine = line;
                i++;
                while (true) {
                    if (i >= n) {
                        throw Readers.malformed(file, quoteLine, "a quoted field is not closed");
                    }
                    char q = text.charAt(i++);
                    if (q == '"' && i < n && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else if (q == '"') {
                        break;
                    } else {
                        line += q == '\n' ? 1 : 0;
                        field.append(q);
                    }
                }
                blank = false;
                if (i < n && ",\r\n".indexOf(text.charAt(i)) < 0) {
                    throw Readers.malformed(file, line, "unexpected '" + text.charAt(i) + "' after a closing quote;"
                            + " a quote inside a quoted field is written \"\"");
                }
                continue;
            }
            if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                blank = false;
            } else if (c == '\n' || c == '\r') {
                if (!blank || !field.toString().isBlank()) {
                    record.add(field.toString());
                    records.add(record);
                    lines.add(start);
                }
                record = new ArrayList<>();
                field.setLength(0);
                blank = true;
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                line++;
                start = line;
            } else {
                field.append(c);
            }
            i++;
        }
    }
}
