package dev.nines.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The priority-header option is validated at build, in both builders. */
class PriorityHeaderTest {

    @Test
    void aBlankHeaderNameIsRefusedByNinesWeb() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NinesWeb.builder().priorityHeader(" ", TrustedProxies.of("10.0.0.0/8")).build());
        assertEquals("priorityHeader must not be blank but was ' '", e.getMessage());
    }

    @Test
    void aBlankHeaderNameIsRefusedByEndpointGuard() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EndpointGuard.builder("x").priorityHeader("", TrustedProxies.of("10.0.0.0/8")).build());
        assertEquals("priorityHeader must not be blank but was ''", e.getMessage());
    }
}
