/**
 * An application module as a user of nines writes one, so that its tests run on the module path
 * and prove what the nines module descriptors promise: the API packages are exported, the
 * {@code internal} ones are not, the annotation handlers every nines module {@code provides} are
 * found, a {@code MetricsSink} this module {@code provides} becomes the default sink, and the JDK
 * server adapter works without the servlet API. Not shipped (install and deploy are skipped).
 *
 * <p>What an application needs to write for nines is only this: {@code requires} the nines modules
 * it uses, and open the package of its proxied interfaces and their implementations to
 * {@code dev.nines.core}, which calls them, and their {@code @WithFallback} methods, reflectively.
 */
module dev.nines.it {
    requires dev.nines.web; // brings core, ratelimit, shedding and jdk.httpserver
    requires dev.nines.simulator;
    requires dev.nines.redis; // brings Lettuce (the automatic module lettuce.core)

    opens dev.nines.it to dev.nines.core;

    provides dev.nines.metrics.MetricsSink with dev.nines.it.RecordingSink;
}
