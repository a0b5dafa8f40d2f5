/**
 * Starling data: labelled numeric data sets for benchmarks, read from ARFF, CSV or JSON-records files or fetched by
 * name. Only {@code dev.starling.data} is exported; the readers and the encoder are package-private.
 */
module dev.starling.data {
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.starling.data;
}
