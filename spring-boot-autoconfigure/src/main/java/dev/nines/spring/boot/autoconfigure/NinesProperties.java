package dev.nines.spring.boot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The top of the {@code nines.*} configuration: the switch for the whole auto-configuration. Each
 * policy has its own section ({@link CircuitBreakerProperties} and the like); {@code nines.web.*}
 * belongs to the web guard. Not thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines")
public class NinesProperties {

    /**
     * Whether nines configures anything: {@code false} turns off the policies from
     * {@code nines.*}, the annotations on beans, health and metrics. Default true.
     */
    private boolean enabled = true;

    /** Created by Spring's binder. */
    public NinesProperties() {
    }

    /** @return whether nines configures anything */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether nines configures anything */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
