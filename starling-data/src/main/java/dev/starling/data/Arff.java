package dev.starling.data;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * Reads dense ARFF: {@code @relation}, {@code @attribute NAME numeric|real|integer|string|date [FORMAT]|{a,b,...}},
 * {@code @data}; names and values quoted with ' or " (backslash escapes inside quotes), {@code ?} for missing,
 * {@code %} comments. Sparse and relational ARFF are rejected. Stateless and thread-safe.
 */
final class Arff {
    private Arff() {
    }

    static List<Column> read(Path file, String text) {
        List<String> names = new ArrayList<>();
        List<Column.Type> types = new ArrayList<>();
        List<List<String>> levels = new ArrayList<>();
        List<DateTimeFormatter> formats = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        boolean data = false;
        String[] lines = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            String s = lines[i].strip();
            if (s.isEmpty() || s.startsWith("%")) {
                continue;
            }
            String lower = s.toLowerCase(Locale.ROOT);
            if (data) {
                if (s.startsWith("{")) {
                    throw Readers.malformed(file, line, "sparse ARFF ({index value, ...}) is not supported; "
                            + "save the data as dense ARFF or CSV");
                }
                List<String> values = split(s, file, line);
                if (values.size() != names.size()) {
                    throw Readers.malformed(file, line, "expected " + names.size() + " values, one per @attribute, "
                            + "found " + values.size());
                }
                for (int c = 0; c < values.size(); c++) {
                    check(values.get(c), names.get(c), types.get(c), levels.get(c), formats.get(c), file, line);
                }
                rows.add(values.toArray(String[]::new));
            } else if (lower.startsWith("@relation")) {
                continue;
            } else if (lower.startsWith("@attribute")) {
                String rest = withoutComment(s.substring("@attribute".length())).strip();
                int end = nameEnd(rest, file, line);
                String name = unquote(rest.substring(0, end));
                String spec = rest.substring(end).strip();
                String kind = spec.toLowerCase(Locale.ROOT).split("\\s+", 2)[0];
                names.add(name);
                levels.add(List.of());
                formats.add(null);
                if (spec.startsWith("{")) {
                    if (!spec.endsWith("}")) {
                        throw Readers.malformed(file, line, "the levels of '" + name + "' do not end with '}'");
                    }
                    List<String> declared = split(spec.substring(1, spec.length() - 1), file, line);
                    if (declared.contains(null) || new HashSet<>(declared).size() != declared.size()) {
                        throw Readers.malformed(file, line, "the levels of '" + name + "' have a '?' or a repeat");
                    }
                    types.add(Column.Type.NOMINAL);
                    levels.set(levels.size() - 1, List.copyOf(declared));
                } else if (List.of("numeric", "real", "integer").contains(kind)) {
                    types.add(Column.Type.NUMERIC);
                } else if (kind.equals("string")) {
                    types.add(Column.Type.TEXT);
                } else if (kind.equals("date")) {
                    String pattern = spec.substring(4).strip();
                    try {
                        formats.set(formats.size() - 1, DateTimeFormatter.ofPattern(
                                pattern.isEmpty() ? "yyyy-MM-dd'T'HH:mm:ss" : unquote(pattern)));
                    } catch (IllegalArgumentException e) {
                        throw Readers.malformed(file, line, "date format " + pattern + " of '" + name
                                + "' is not valid: " + e.getMessage());
                    }
                    types.add(Column.Type.DATE);
                } else {
                    throw Readers.malformed(file, line, "attribute '" + name + "' has type '" + spec + "'; "
                            + "supported are numeric, real, integer, string, date [format] and {level, ...}");
                }
            } else if (lower.startsWith("@data")) {
                if (names.isEmpty()) {
                    throw Readers.malformed(file, line, "@data comes before any @attribute");
                }
                data = true;
            } else {
                throw Readers.malformed(file, line, "expected @relation, @attribute or @data, found '" + s + "'");
            }
        }
        if (!data) {
            throw new IllegalArgumentException(file + " has no @data section; is it an ARFF file?");
        }
        List<Column> columns = new ArrayList<>(names.size());
        for (int c = 0; c < names.size(); c++) {
            String[] values = new String[rows.size()];
            for (int r = 0; r < values.length; r++) {
                values[r] = rows.get(r)[c];
            }
            columns.add(new Column(names.get(c), types.get(c), levels.get(c), formats.get(c), values));
        }
        return columns;
    }

    private static void check(String value, String name, Column.Type type, List<String> levels,
                              DateTimeFormatter format, Path file, int line) {
        if (value == null) {
            return;
        }
        boolean ok = switch (type) {
            case NUMERIC -> Column.NUMBER.matcher(value).matches();
            case NOMINAL -> levels.contains(value);
            case DATE -> {
                try {
                    Column.dateTime(value, format);
                    yield true;
                } catch (DateTimeException e) {
                    yield false;
                }
            }
            case TEXT -> true;
        };
        if (!ok) {
            throw Readers.malformed(file, line, "value '" + value + "' of " + type.name().toLowerCase(Locale.ROOT)
                    + " attribute '" + name + "' is not " + switch (type) {
                        case NUMERIC -> "a number";
                        case NOMINAL -> "one of its levels: " + String.join(", ", levels);
                        default -> "a date in the declared format";
                    });
        }
    }

    /** Splits comma-separated values; an unquoted {@code ?} becomes null, an unquoted {@code %} ends the line. */
    static List<String> split(String s, Path file, int line) {
        List<String> values = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i < n && (s.charAt(i) == '\'' || s.charAt(i) == '"')) {
                int end = quoteEnd(s, i, file, line);
                values.add(unquote(s.substring(i, end)));
                i = end;
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i < n && s.charAt(i) != ',' && s.charAt(i) != '%') {
                    throw Readers.malformed(file, line, "expected ',' after a quoted value, found '" + s.charAt(i)
                            + "' at column " + (i + 1));
                }
            } else {
                int start = i;
                while (i < n && s.charAt(i) != ',' && s.charAt(i) != '%') {
                    i++;
                }
                String value = s.substring(start, i).strip();
                if (value.isEmpty()) {
                    throw Readers.malformed(file, line, "value " + (values.size() + 1) + " is empty; write ? for "
                            + "a missing value");
                }
                values.add(value.equals("?") ? null : value);
            }
            if (i >= n || s.charAt(i) == '%') {
                return values;
            }
            i++; // the comma
        }
    }

    /** The line up to its first unquoted {@code %}. */
    private static String withoutComment(String s) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0 && c == '\\') {
                i++;
            } else if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '%') {
                return s.substring(0, i);
            }
        }
        return s;
    }

    private static int nameEnd(String s, Path file, int line) {
        if (s.startsWith("'") || s.startsWith("\"")) {
            return quoteEnd(s, 0, file, line);
        }
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '{') {
            i++;
        }
        if (i == 0) {
            throw Readers.malformed(file, line, "@attribute has no name");
        }
        return i;
    }

    /** The index just past the quote that closes the one at {@code start}. */
    private static int quoteEnd(String s, int start, Path file, int line) {
        char quote = s.charAt(start);
        for (int i = start + 1; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                i++;
            } else if (s.charAt(i) == quote) {
                return i + 1;
            }
        }
        throw Readers.malformed(file, line, "the quote " + quote + " at column " + (start + 1) + " is not closed");
    }

    private static String unquote(String s) {
        if (s.length() < 2 || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() - 1) {
                char next = s.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
