package dev.nines.micrometer;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * The tests' SLF4J provider: slf4j-simple with a real MDC (slf4j-simple's own drops every entry),
 * so the tests can see the MDC reach the worker thread. Named by the {@code slf4j.provider}
 * system property in this module's surefire configuration.
 */
@SuppressWarnings("exports") // a test class: the provider type of slf4j-simple is on the class path
public final class MdcLoggingProvider extends SimpleServiceProvider {

    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }
}
