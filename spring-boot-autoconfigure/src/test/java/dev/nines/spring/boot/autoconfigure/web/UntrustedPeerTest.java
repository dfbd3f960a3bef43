package dev.nines.spring.boot.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.annotation.PolicyRegistry;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A peer outside the trusted ranges (the loopback test client, with only 10.0.0.0/8 trusted)
 * cannot pick its client key with {@code X-Forwarded-For} nor raise its priority with the header.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "nines.web.trusted-proxies=10.0.0.0/8",
            "nines.web.client-key.source=forwarded",
            "nines.web.priority.header=X-Priority",
            "nines.web.priority.trusted-callers=10.0.0.0/8"
        })
class UntrustedPeerTest {

    @LocalServerPort
    int port;
    @Autowired
    PolicyRegistry registry;

    @Test
    void aHostileForwardedForFromAnUntrustedPeerIsIgnored() {
        Http http = new Http(port);
        assertThat(http.get("/limited", "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(200);
        assertThat(http.get("/limited", "X-Forwarded-For", "198.51.100.2").statusCode()).isEqualTo(200);
        // a third "client" is the same peer: its own bucket, empty
        assertThat(http.get("/limited", "X-Forwarded-For", "198.51.100.3").statusCode()).isEqualTo(429);
    }

    @Test
    void anUntrustedCallerCannotRaiseItsPriority() {
        LoadShedder api = registry.find("api", LoadShedder.class).orElseThrow();
        api.forceTier(Tier.REDUCED);
        try {
            assertThat(new Http(port).get("/shed", "X-Priority", "P0").statusCode()).isEqualTo(503);
        } finally {
            api.clearForcedTier();
        }
    }
}
