package dev.starling.data;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Turns raw columns and a target spec into a {@link Table}, as {@link Datasets} documents. Stateless and
 * thread-safe.
 */
final class Encoding {
    /** Levels kept per nominal column; the rest share one {@code COL=other} column. */
    static final int MAX_LEVELS = 30;

    private Encoding() {
    }

    /** The encoded table and the number of rows dropped because their target was missing. */
    record Result(Table table, int dropped) {
    }

    static Result encode(String name, List<Column> raw, String target) {
        List<Column> columns = raw.stream().map(Column::resolved).toList();
        int targetColumn = targetColumn(name, columns, target);
        double[] labels = labels(name, columns.get(targetColumn), target);
        int[] kept = IntStream.range(0, labels.length).filter(r -> !Double.isNaN(labels[r])).toArray();

        List<String> features = new ArrayList<>();
        List<double[]> values = new ArrayList<>(); // one array per feature, over all rows
        for (int c = 0; c < columns.size(); c++) {
            if (c != targetColumn) {
                encode(columns.get(c), features, values);
            }
        }
        double[][] x = new double[kept.length][features.size()];
        double[] y = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            y[i] = labels[kept[i]];
            for (int f = 0; f < features.size(); f++) {
                x[i][f] = values.get(f)[kept[i]];
            }
        }
        return new Result(new Table(name, target, features, x, y), labels.length - kept.length);
    }

    private static void encode(Column column, List<String> features, List<double[]> values) {
        String[] raw = column.values();
        switch (column.type()) {
            case NUMERIC -> {
                features.add(column.name());
                values.add(Arrays.stream(raw).mapToDouble(v -> v == null ? Double.NaN : Double.parseDouble(v))
                        .toArray());
            }
            case DATE -> {
                double[] hour = new double[raw.length];
                double[] weekday = new double[raw.length];
                for (int r = 0; r < raw.length; r++) {
                    if (raw[r] == null) {
                        hour[r] = weekday[r] = Double.NaN;
                    } else {
                        LocalDateTime t = Column.dateTime(raw[r], column.dates());
                        hour[r] = t.getHour() + t.getMinute() / 60.0 + t.getSecond() / 3600.0;
                        weekday[r] = t.getDayOfWeek().getValue();
                    }
                }
                features.add(column.name() + ".hour");
                values.add(hour);
                features.add(column.name() + ".weekday");
                values.add(weekday);
            }
            default -> {
                List<String> levels = column.levels();
                Map<String, Integer> counts = new HashMap<>();
                for (String v : raw) {
                    if (v != null) {
                        counts.merge(v, 1, Integer::sum);
                    }
                }
                // The most frequent levels, ties in declared order; they keep their declared order as columns.
                List<String> kept = levels.stream()
                        .sorted(Comparator.comparing((String l) -> counts.getOrDefault(l, 0)).reversed())
                        .limit(MAX_LEVELS).toList();
                Map<String, Integer> index = new HashMap<>();
                for (String level : levels) {
                    if (kept.contains(level)) {
                        index.put(level, index.size());
                        features.add(column.name() + "=" + level);
                    }
                }
                if (kept.size() < levels.size()) {
                    // A real level named "other" already has a column; the rare levels join it.
                    int other = index.computeIfAbsent("other", k -> {
                        features.add(column.name() + "=other");
                        return index.size();
                    });
                    levels.forEach(l -> index.putIfAbsent(l, other));
                }
                int width = (int) index.values().stream().distinct().count();
                double[][] block = new double[width][raw.length];
                for (int r = 0; r < raw.length; r++) {
                    for (double[] oneHot : block) {
                        oneHot[r] = raw[r] == null ? Double.NaN : 0;
                    }
                    if (raw[r] != null) {
                        block[index.get(raw[r])][r] = 1;
                    }
                }
                values.addAll(Arrays.asList(block));
            }
        }
    }

    /** Finds the target's column: the whole spec if it is a column name, else the name before {@code = > <}. */
    private static int targetColumn(String name, List<Column> columns, String target) {
        List<String> names = Column.names(columns);
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("the target must not be blank; give COL, COL=LEVEL, COL>NUMBER or "
                    + "COL<NUMBER, where COL is one of: " + String.join(", ", names));
        }
        for (int i = target.length(); i > 0; i--) {
            if ((i == target.length() || "=<>".indexOf(target.charAt(i)) >= 0)
                    && names.contains(target.substring(0, i).strip())) {
                return names.indexOf(target.substring(0, i).strip());
            }
        }
        String guess = target.split("[=<>]", 2)[0].strip();
        throw new IllegalArgumentException("column '" + guess + "' is not in " + name + "; its columns are: "
                + String.join(", ", names));
    }

    /** The label of every row, NaN where the target is missing. */
    private static double[] labels(String name, Column column, String target) {
        String col = column.name();
        String rest = target.strip().substring(col.length()).strip();
        char op = rest.isEmpty() ? ' ' : rest.charAt(0);
        String operand = rest.isEmpty() ? "" : rest.substring(1).strip();
        String[] raw = column.values();
        double[] y = new double[raw.length];
        String where = "target '" + target + "' of " + name + ": ";
        switch (column.type()) {
            case NUMERIC -> {
                double bound = op == ' ' ? 0 : number(operand, where);
                for (int r = 0; r < raw.length; r++) {
                    double v = raw[r] == null ? Double.NaN : Double.parseDouble(raw[r]);
                    y[r] = Double.isNaN(v) || op == ' ' ? v : switch (op) {
                        case '=' -> v == bound ? 1 : 0;
                        case '>' -> v > bound ? 1 : 0;
                        default -> v < bound ? 1 : 0;
                    };
                }
            }
            case NOMINAL -> {
                List<String> levels = column.levels();
                String positive;
                if (op == ' ') {
                    if (levels.size() != 2) {
                        throw new IllegalArgumentException(where + "column '" + col + "' has " + levels.size()
                                + " levels (" + String.join(", ", levels) + "), not 2; give " + col
                                + "=LEVEL to say which level is 1");
                    }
                    positive = levels.get(1);
                } else if (op == '=') {
                    if (!levels.contains(operand)) {
                        throw new IllegalArgumentException(where + "level '" + operand + "' is not in column '" + col
                                + "'; its levels are: " + String.join(", ", levels));
                    }
                    positive = operand;
                } else {
                    throw new IllegalArgumentException(where + "column '" + col + "' is nominal, so it has no order;"
                            + " compare it with " + col + "=LEVEL, a level among: " + String.join(", ", levels));
                }
                for (int r = 0; r < raw.length; r++) {
                    y[r] = raw[r] == null ? Double.NaN : raw[r].equals(positive) ? 1 : 0;
                }
            }
            default -> throw new IllegalArgumentException(where + "column '" + col + "' holds date-times, which "
                    + "cannot be a label; pick a numeric or nominal column");
        }
        return y;
    }

    private static double number(String operand, String where) {
        if (!Column.NUMBER.matcher(operand).matches()) {
            throw new IllegalArgumentException(where + "'" + operand + "' is not a number; target specs are COL, "
                    + "COL=LEVEL, COL>NUMBER and COL<NUMBER");
        }
        return Double.parseDouble(operand);
    }
}
