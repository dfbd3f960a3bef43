package dev.nines.spring.boot.autoconfigure.web;

import dev.nines.web.ForwardingHeader;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the nines guard on Spring MVC controllers, under {@code nines.web}: how clients are
 * told apart (the key of a per-client {@code @WithRateLimit}), which reverse proxies are believed,
 * and who may set a request's priority in a header.
 *
 * <pre>
 * nines:
 *   web:
 *     trusted-proxies: [10.0.0.0/8]
 *     client-key:
 *       source: forwarded          # remote-address (default), forwarded, header, principal
 *     priority:
 *       header: X-Priority
 *       trusted-callers: [10.1.0.0/16]
 * </pre>
 *
 * Values are checked when the application starts; an invalid one fails startup with a message that
 * names the property and the value. Mutable while Spring binds it, then only read; not
 * thread-safe for writes.
 */
@ConfigurationProperties("nines.web")
public class NinesWebProperties {

    /**
     * Whether the nines annotations on controller methods (@WithRateLimit,
     * @WithPriority, @WithBulkhead, @WithCircuitBreaker) guard their
     * endpoints. When false, no guard is built and requests reach the handlers unguarded.
     */
    private boolean enabled = true;

    /**
     * Addresses and CIDR ranges of the reverse proxies the service sits behind, such as
     * 10.0.0.0/8 or ::1. A forwarding header is believed only from a peer in one of
     * them. Literal addresses only; nothing is looked up in DNS.
     */
    private List<String> trustedProxies = new ArrayList<>();

    /** How a request's client is identified. */
    private final ClientKey clientKey = new ClientKey();

    /** Who may set a request's priority in a header. */
    private final PriorityHeader priority = new PriorityHeader();

    /** Created by Spring when it binds {@code nines.web}. */
    public NinesWebProperties() {
    }

    /**
     * Whether controllers are guarded.
     *
     * @return true unless {@code nines.web.enabled} is false
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether controllers are guarded.
     *
     * @param enabled false to build no guard
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The trusted proxies, as written.
     *
     * @return addresses and CIDR ranges; empty by default
     */
    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    /**
     * Sets the trusted proxies.
     *
     * @param trustedProxies addresses and CIDR ranges
     */
    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies == null ? new ArrayList<>() : new ArrayList<>(trustedProxies);
    }

    /**
     * How clients are identified.
     *
     * @return the {@code nines.web.client-key} group
     */
    public ClientKey getClientKey() {
        return clientKey;
    }

    /**
     * The priority header and who may use it.
     *
     * @return the {@code nines.web.priority} group
     */
    public PriorityHeader getPriority() {
        return priority;
    }

    /** Where the client key comes from. */
    public enum ClientKeySource {
        /** The connection's remote address (an IPv6 client by its network prefix). The default. */
        REMOTE_ADDRESS,
        /**
         * The original client address from the forwarding header, read right to left through the
         * trusted proxies; the remote address for a request that does not come from one.
         */
        FORWARDED,
        /**
         * The value of a header such as {@code X-Api-Key}; the address (forwarded, when trusted
         * proxies are configured) when the header is absent. Only behind a gateway that checks the
         * header, or clients mint keys at will.
         */
        HEADER,
        /** The authenticated principal's name; the address for anonymous requests. */
        PRINCIPAL
    }

    /** {@code nines.web.client-key}: how a request's client is identified. Not thread-safe for writes. */
    public static class ClientKey {

        /** Where the client key comes from: remote-address, forwarded, header or principal. */
        private ClientKeySource source = ClientKeySource.REMOTE_ADDRESS;

        /** The header holding the client key when the source is header, such as X-Api-Key. */
        private String header = "X-Api-Key";

        /**
         * The one forwarding header the trusted proxies write (x-forwarded-for or forwarded); the
         * other is never read, since a proxy that does not write it passes a client's copy through.
         */
        private ForwardingHeader forwardingHeader = ForwardingHeader.X_FORWARDED_FOR;

        /**
         * How many leading bits of an IPv6 address key its client, 1 to 128: one subscriber usually
         * holds a whole /64 and could pick a new address, and a new bucket, for each request.
         */
        private int ipv6PrefixLength = 64;

        /** Created with the defaults. */
        public ClientKey() {
        }

        /**
         * Where the key comes from.
         *
         * @return the source; remote-address by default
         */
        public ClientKeySource getSource() {
            return source;
        }

        /**
         * Sets where the key comes from.
         *
         * @param source the source
         */
        public void setSource(ClientKeySource source) {
            this.source = source;
        }

        /**
         * The key header.
         *
         * @return the header name; X-Api-Key by default
         */
        public String getHeader() {
            return header;
        }

        /**
         * Sets the key header.
         *
         * @param header the header name
         */
        public void setHeader(String header) {
            this.header = header;
        }

        /**
         * The forwarding header.
         *
         * @return the header the trusted proxies write; X-Forwarded-For by default
         */
        public ForwardingHeader getForwardingHeader() {
            return forwardingHeader;
        }

        /**
         * Sets the forwarding header.
         *
         * @param forwardingHeader the header the trusted proxies write
         */
        public void setForwardingHeader(ForwardingHeader forwardingHeader) {
            this.forwardingHeader = forwardingHeader;
        }

        /**
         * The IPv6 prefix length.
         *
         * @return 1 to 128; 64 by default
         */
        public int getIpv6PrefixLength() {
            return ipv6PrefixLength;
        }

        /**
         * Sets the IPv6 prefix length.
         *
         * @param ipv6PrefixLength 1 to 128
         */
        public void setIpv6PrefixLength(int ipv6PrefixLength) {
            this.ipv6PrefixLength = ipv6PrefixLength;
        }
    }

    /** {@code nines.web.priority}: a priority header honoured from trusted callers only. Not thread-safe for writes. */
    public static class PriorityHeader {

        /**
         * A header in which trusted callers set a request's priority (P0..P3 or 0..3), such as
         * X-Priority; unset by default, so no caller can. Ignored from every other caller.
         */
        private String header;

        /**
         * Addresses and CIDR ranges of the callers whose priority header is honoured (another
         * service of yours, a gateway that strips the client's copy). Checked against the direct
         * peer only; required when a header is set.
         */
        private List<String> trustedCallers = new ArrayList<>();

        /** Created with the defaults. */
        public PriorityHeader() {
        }

        /**
         * The priority header.
         *
         * @return the header name, or null when none is honoured
         */
        public String getHeader() {
            return header;
        }

        /**
         * Sets the priority header.
         *
         * @param header the header name
         */
        public void setHeader(String header) {
            this.header = header;
        }

        /**
         * The trusted callers.
         *
         * @return addresses and CIDR ranges; empty by default
         */
        public List<String> getTrustedCallers() {
            return trustedCallers;
        }

        /**
         * Sets the trusted callers.
         *
         * @param trustedCallers addresses and CIDR ranges
         */
        public void setTrustedCallers(List<String> trustedCallers) {
            this.trustedCallers = trustedCallers == null ? new ArrayList<>() : new ArrayList<>(trustedCallers);
        }
    }
}
