package dev.nines.spring.boot.autoconfigure.web.internal;

import dev.nines.Ticker;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.MetricsSink;
import dev.nines.spring.boot.autoconfigure.web.NinesWebProperties;
import dev.nines.web.ClientKeyResolver;
import dev.nines.web.NinesWeb;
import dev.nines.web.TrustedProxies;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@code nines.web.*} into the {@link NinesWeb} settings the controller guards are built
 * from, checking every value first: an invalid one fails with a message naming the property and
 * the value, all invalid ones in one message. Stateless and thread-safe.
 */
public final class WebSettings {

    private static final String PREFIX = "nines.web.";

    private WebSettings() {
    }

    /**
     * The settings from {@code properties}; {@code keys}, when not null, is used as the client key
     * resolver instead of {@code nines.web.client-key}.
     *
     * @throws IllegalArgumentException naming each invalid property and its value
     */
    public static NinesWeb of(NinesWebProperties properties, ClientKeyResolver keys, PolicyRegistry registry,
            MetricsSink metrics, Ticker ticker) {
        List<String> problems = new ArrayList<>();
        TrustedProxies proxies = ranges("trusted-proxies", properties.getTrustedProxies(), problems);
        NinesWebProperties.ClientKey key = properties.getClientKey();
        NinesWebProperties.PriorityHeader priority = properties.getPriority();
        TrustedProxies callers = ranges("priority.trusted-callers", priority.getTrustedCallers(), problems);
        int prefix = key.getIpv6PrefixLength();
        if (prefix < 1 || prefix > 128) {
            problems.add(PREFIX + "client-key.ipv6-prefix-length must be 1..128 but was " + prefix);
        }
        NinesWebProperties.ClientKeySource source = key.getSource() == null
                ? NinesWebProperties.ClientKeySource.REMOTE_ADDRESS : key.getSource();
        if (source == NinesWebProperties.ClientKeySource.FORWARDED && properties.getTrustedProxies().isEmpty()) {
            problems.add(PREFIX + "trusted-proxies must not be empty when " + PREFIX
                    + "client-key.source is forwarded, or no forwarding header is ever believed, but was []");
        }
        if (source == NinesWebProperties.ClientKeySource.HEADER && isBlank(key.getHeader())) {
            problems.add(PREFIX + "client-key.header must not be blank when " + PREFIX
                    + "client-key.source is header but was '" + key.getHeader() + "'");
        }
        String priorityHeader = priority.getHeader();
        if (priorityHeader != null && priorityHeader.isBlank()) {
            problems.add(PREFIX + "priority.header must not be blank but was '" + priorityHeader + "'");
        }
        if (!isBlank(priorityHeader) && priority.getTrustedCallers().isEmpty()) {
            problems.add(PREFIX + "priority.trusted-callers must not be empty when " + PREFIX
                    + "priority.header is set ('" + priorityHeader + "'), or the header is never honoured, but was []");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid nines.web configuration: " + String.join("; ", problems));
        }
        NinesWeb.Builder web = NinesWeb.builder().registry(registry).metrics(metrics).ticker(ticker)
                .clientKeys(keys != null ? keys : resolver(source, key, proxies, properties.getTrustedProxies().isEmpty()));
        if (!isBlank(priorityHeader)) {
            web.priorityHeader(priorityHeader.trim(), callers);
        }
        return web.build();
    }

    private static ClientKeyResolver resolver(NinesWebProperties.ClientKeySource source,
            NinesWebProperties.ClientKey key, TrustedProxies proxies, boolean noProxies) {
        int prefix = key.getIpv6PrefixLength();
        ClientKeyResolver address = noProxies ? ClientKeyResolver.remoteAddress(prefix)
                : ClientKeyResolver.forwarded(proxies, key.getForwardingHeader(), prefix);
        return switch (source) {
            case REMOTE_ADDRESS -> ClientKeyResolver.remoteAddress(prefix);
            case FORWARDED -> address;
            case HEADER -> ClientKeyResolver.header(key.getHeader().trim(), address);
            case PRINCIPAL -> ClientKeyResolver.principal(address);
        };
    }

    /** The ranges of {@code property}, each entry checked on its own so the message names it. */
    private static TrustedProxies ranges(String property, List<String> entries, List<String> problems) {
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            try {
                TrustedProxies.of(entry);
                valid.add(entry);
            } catch (IllegalArgumentException | NullPointerException e) {
                problems.add(PREFIX + property + "[" + i + "] must be an IP address or CIDR range (such as "
                        + "10.0.0.0/8 or ::1) but was '" + entry + "'");
            }
        }
        return TrustedProxies.of(valid.toArray(String[]::new));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
