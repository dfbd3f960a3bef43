package dev.nines.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A request built by hand, for resolver tests that need no server. */
final class FakeRequest implements HttpRequestView {

    private final InetAddress remote;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private String principal;

    FakeRequest(String remote) {
        try {
            this.remote = InetAddress.getByName(remote);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    FakeRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
        return this;
    }

    FakeRequest principal(String name) {
        this.principal = name;
        return this;
    }

    @Override
    public InetAddress remoteAddress() {
        return remote;
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public Optional<String> principal() {
        return Optional.ofNullable(principal);
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/";
    }
}
