/**
 * The nines game day: a sample shop service played through a scripted bad day, with and without
 * nines. Not shipped; it is the project's main job and a user of nines like any other.
 *
 * <p>It is a named module so that the compiler keeps it on the public API: a nines module exports
 * its {@code internal} packages to no application (and {@code dev.nines.internal} only to the
 * other nines modules), so an import of one fails the build here instead of slipping into the
 * example users copy from. It exports nothing; it is run from the class path
 * ({@code exec:java}), and its tests run there too.
 */
module dev.nines.demo {
    requires dev.nines.web;
    requires java.net.http; // the load generator's client
    requires dev.nines.slo; // the report's SLO table and burn-rate charts
}
