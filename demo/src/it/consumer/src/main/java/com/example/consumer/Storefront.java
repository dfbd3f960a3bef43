package com.example.consumer;

import dev.nines.Pipeline;
import dev.nines.Priority;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.fallback.Fallback;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Permit;
import dev.nines.web.EndpointGuard;
import java.io.IOException;

/**
 * A user's code on nines, as a user would write it: one class touching each shipped module, so
 * that the consumer build needs every artifact (and what they bring: SLF4J, Caffeine) at compile
 * and run time. Not thread-safe beyond what the nines policies are.
 */
public final class Storefront {
    private final Pipeline inventory = Pipeline.of(
            Fallback.of("unknown"),
            CircuitBreaker.builder("inventory").build());
    private final KeyedRateLimiter perClient = KeyedRateLimiter.builder("per-client")
            .limit(Rate.perMinute(2)).maxKeys(1_000).build();
    private final LoadShedder shedder = LoadShedder.builder("storefront").build();
    private final EndpointGuard guard = EndpointGuard.builder("search").policies(shedder).build();

    /** The stock of an item, or "unknown" when the inventory service fails. */
    public String stock(boolean inventoryUp) throws Exception {
        return inventory.call(() -> {
            if (!inventoryUp) {
                throw new IOException("inventory down");
            }
            return "12 left";
        });
    }

    /** Whether the client may make one more request now. */
    public boolean admit(String client) {
        return perClient.tryAcquire(client);
    }

    /** Runs work at the given priority if the shedder admits it; false if it was shed. */
    public boolean shed(Priority priority) {
        try (Permit permit = shedder.tryAcquire(priority)) {
            return permit.isAdmitted() && permit.success();
        }
    }

    /** The web guard's name, proving the web module loads. */
    public String guardName() {
        return guard.name();
    }
}
