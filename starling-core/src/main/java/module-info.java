/**
 * Starling core: the public API, the store SPI, the in-process memory store and the worker runtime.
 */
module dev.starling.core {
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires org.slf4j;

    exports dev.starling;
    exports dev.starling.spi;

    uses dev.starling.spi.StoreProvider;
}
