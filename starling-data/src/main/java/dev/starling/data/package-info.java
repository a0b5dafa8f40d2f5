/**
 * Labelled numeric data sets. {@link dev.starling.data.Datasets} is the front door: it loads a named data set
 * ({@code credit-g}, {@code diabetes}, {@code flights}, fetched once into a local cache) or an ARFF, CSV or
 * JSON-records file, encodes every column as numbers (one-hot for nominal columns, hour and weekday for date-times),
 * and turns a target spec such as {@code class=bad} or {@code delay>15} into a 0/1 label. The result is an immutable
 * {@link dev.starling.data.Table}: feature names, a row-major feature matrix with {@code NaN} for missing values, and
 * one label per row.
 */
package dev.starling.data;
