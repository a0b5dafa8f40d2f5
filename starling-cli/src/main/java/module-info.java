/**
 * The starling command and its dashboard (served by the JDK's HTTP server). picocli fills the commands' fields
 * reflectively, hence the opens. XChart's jar is an automatic module named after its file ("module" warnings are
 * expected).
 */
@SuppressWarnings({"module", "requires-automatic"})
module dev.starling.cli {
    requires dev.starling.algorithms;
    requires dev.starling.core;
    requires dev.starling.optimize;
    requires dev.starling.redis;
    requires dev.starling.tune;
    requires info.picocli;
    requires java.desktop;
    requires jdk.httpserver;
    requires me.tongfei.progressbar;
    requires org.slf4j;
    requires xchart;

    opens dev.starling.cli to info.picocli;
}
