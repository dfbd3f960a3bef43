package dev.nines.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request over a raw loopback socket, reading the response as the server framed it
 * and then whether the server closed the connection: what a real client sees of
 * {@code Connection: close}, which {@code java.net.http.HttpClient} hides. Every read is bounded by
 * a socket timeout, which only a failing test reaches.
 */
public final class RawHttp {

    private static final int TIMEOUT_MS = 10_000;

    private RawHttp() {
    }

    /**
     * The answer to one request.
     *
     * @param status           the status code
     * @param headers          response headers, names in lower case (the last value of each)
     * @param body             the body
     * @param closedAfterwards whether the server closed the connection after the response
     */
    public record Response(int status, Map<String, String> headers, String body, boolean closedAfterwards) {
    }

    /** Sends {@code GET path} on a fresh keep-alive connection to {@code port} on 127.0.0.1. */
    public static Response get(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            boolean closed;
            try {
                closed = in.read() == -1;
            } catch (SocketTimeoutException keptOpen) {
                closed = false;
            } catch (IOException reset) {
                closed = true;
            }
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8), closed);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new IOException("connection closed mid-response after '" + line + "'");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
