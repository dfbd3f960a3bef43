package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Priority;
import org.junit.jupiter.api.Test;

/** The consumer's code runs on the nines artifacts it resolved through the BOM. */
class StorefrontTest {
    private final Storefront storefront = new Storefront();

    @Test
    void eachShippedModuleWorksFromTheUsersClassPath() throws Exception {
        assertEquals("12 left", storefront.stock(true));
        assertEquals("unknown", storefront.stock(false), "core: the fallback answers a failed call");
        assertTrue(storefront.admit("client-1"));
        assertTrue(storefront.admit("client-1"));
        assertFalse(storefront.admit("client-1"), "ratelimit (with Caffeine): a third request in the minute is refused");
        assertTrue(storefront.shed(Priority.P0), "shedding: an idle shedder admits P0");
        assertEquals("search", storefront.guardName(), "web");
    }
}
