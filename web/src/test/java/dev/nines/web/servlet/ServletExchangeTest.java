package dev.nines.web.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** Sends a rejection for a request with {@code method}; returns what reached the response, body last. */
    private static List<String> sent(String method) throws Exception {
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                ServletExchangeTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("getMethod")) {
                        return method;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        List<String> calls = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
                ServletExchangeTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("getOutputStream")) {
                        return out;
                    }
                    calls.add(m.getName() + (args == null ? "" : " " + java.util.Arrays.toString(args)));
                    return null;
                });
        ServletExchange.of(request, response).send(503, Map.of("Retry-After", "1"), "application/problem+json",
                "{\"status\":503}");
        calls.add("body " + body.toString(StandardCharsets.UTF_8));
        return calls;
    }

    @Test
    void aRejectionCarriesItsBodyButAHeadAnswerOnlyItsLength() throws Exception {
        List<String> get = sent("GET");
        assertTrue(get.contains("setStatus [503]"), get.toString());
        assertTrue(get.contains("setHeader [Retry-After, 1]"), get.toString());
        assertTrue(get.contains("setContentLength [14]"), get.toString());
        assertEquals("body {\"status\":503}", get.get(get.size() - 1));
        List<String> head = sent("HEAD");
        assertTrue(head.contains("setStatus [503]") && head.contains("setContentLength [14]"), head.toString());
        assertEquals("body ", head.get(head.size() - 1), "no body on a HEAD answer");
    }

    @Test
    void anExchangeNeedsARequestAndAResponse() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> ServletExchange.of(null, null));
        assertEquals("request", e.getMessage());
    }
}
