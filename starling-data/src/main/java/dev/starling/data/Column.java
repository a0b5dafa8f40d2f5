package dev.starling.data;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One column as a reader found it, before encoding: its values as text, {@code null} where missing. Readers check
 * values against the type (numbers parse, nominal values are declared levels, dates parse), so the encoder need not.
 * Immutable by convention: nothing changes {@code values} after the reader built it.
 *
 * @param levels the declared levels of an ARFF nominal column, else empty
 * @param dates the format of a {@link Type#DATE} column, else null
 */
record Column(String name, Type type, List<String> levels, DateTimeFormatter dates, String[] values) {
    /** How a column's values are to be read. */
    enum Type {
        NUMERIC, NOMINAL, DATE,
        /** Text not yet classified: becomes DATE when every value is a date-time, else NOMINAL. */
        TEXT
    }

    /** A number as CSV writes it; stricter than {@code Double.parseDouble}, which also takes "1d" or "NaN". */
    static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    /** The date-times a text column may hold: 2001/01/14 21:55 (flights), 2001-01-14 21:55[:00], ISO with T. */
    static final DateTimeFormatter SNIFFED = DateTimeFormatter.ofPattern("uuuu[-MM-dd][/MM/dd][' ']['T']HH:mm[:ss]");

    static Column numeric(String name, String[] values) {
        return new Column(name, Type.NUMERIC, List.of(), null, values);
    }

    static Column text(String name, String[] values) {
        return new Column(name, Type.TEXT, List.of(), null, values);
    }

    /** This column with TEXT resolved to DATE or NOMINAL; a NOMINAL column gets its levels in order of appearance. */
    Column resolved() {
        if (type == Type.TEXT && isDateTimes()) {
            return new Column(name, Type.DATE, List.of(), SNIFFED, values);
        }
        if (type == Type.TEXT || (type == Type.NOMINAL && levels.isEmpty())) {
            Set<String> seen = new LinkedHashSet<>();
            for (String v : values) {
                if (v != null) {
                    seen.add(v);
                }
            }
            return new Column(name, Type.NOMINAL, List.copyOf(seen), null, values);
        }
        return this;
    }

    private boolean isDateTimes() {
        boolean any = false;
        for (String v : values) {
            if (v != null) {
                try {
                    LocalDateTime.parse(v, SNIFFED);
                    any = true;
                } catch (DateTimeException e) {
                    return false;
                }
            }
        }
        return any;
    }

    /** Parses a date or date-time; a date without a time is at midnight. */
    static LocalDateTime dateTime(String value, DateTimeFormatter format) {
        TemporalAccessor parsed = format.parse(value);
        LocalDate date = parsed.query(TemporalQueries.localDate());
        if (date == null) {
            throw new DateTimeException("'" + value + "' has no date in it");
        }
        LocalTime time = parsed.query(TemporalQueries.localTime());
        return date.atTime(time == null ? LocalTime.MIDNIGHT : time);
    }

    /** The names of the columns, for error messages. */
    static List<String> names(List<Column> columns) {
        List<String> names = new ArrayList<>(columns.size());
        columns.forEach(c -> names.add(c.name()));
        return names;
    }
}
