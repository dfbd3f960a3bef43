package dev.nines.web.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ServletExchangeTest {

    private static InetAddress remote(String remoteAddr) {
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                ServletExchangeTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getRemoteAddr")) {
                        return remoteAddr;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new ServletExchange(request, null).remoteAddress();
    }

    @Test
    void theRemoteAddressIsParsedAsALiteralAndNeverLookedUp() {
        assertEquals("192.0.2.1", remote("192.0.2.1").getHostAddress());
        assertEquals("0:0:0:0:0:0:0:1", remote("[::1]").getHostAddress());
        assertEquals("fe80:0:0:0:0:0:0:1", remote("fe80::1%eth0").getHostAddress(), "the zone id is dropped");
        assertNull(remote("localhost"), "a name is not an address, and is not resolved");
        assertNull(remote(null));
    }
}
