package dev.nines.demo;

import dev.nines.Priority;

/**
 * The four endpoints of the sample shop: one per priority, each backed by one downstream
 * dependency, with its share of normal traffic and the degraded answer its fallback serves.
 */
enum Endpoint {
    CHECKOUT("/checkout", Priority.P0, Downstream.PAYMENTS, 0.10,
            "{\"order\":\"accepted\",\"payment\":\"deferred\"}"),
    CART("/cart", Priority.P1, Downstream.INVENTORY, 0.20,
            "{\"cart\":\"from cache\",\"stock\":\"unknown\"}"),
    SEARCH("/search", Priority.P2, Downstream.CATALOG, 0.30,
            "{\"results\":\"cached top sellers\"}"),
    RECOMMENDATIONS("/recommendations", Priority.P3, Downstream.CATALOG, 0.40,
            "{\"recommendations\":\"cached best sellers\"}");

    private final String path;
    private final Priority priority;
    private final String dependency;
    private final double share;
    private final String degradedBody;

    Endpoint(String path, Priority priority, String dependency, double share, String degradedBody) {
        this.path = path;
        this.priority = priority;
        this.dependency = dependency;
        this.share = share;
        this.degradedBody = degradedBody;
    }

    /** The URL path, e.g. {@code /checkout}. */
    String path() {
        return path;
    }

    /** How critical the endpoint is: the shedder drops P3 first and P0 last. */
    Priority priority() {
        return priority;
    }

    /** The name of the downstream dependency this endpoint calls. */
    String dependency() {
        return dependency;
    }

    /** Its share of legitimate traffic; the shares add up to 1. */
    double share() {
        return share;
    }

    /** What the fallback answers when the dependency cannot: a degraded but useful response. */
    String degradedBody() {
        return degradedBody;
    }

    /** The fresh answer, once the dependency answered {@code reply}. */
    String freshBody(String reply) {
        return "{\"endpoint\":\"" + name().toLowerCase(java.util.Locale.ROOT) + "\",\"data\":\"" + reply + "\"}";
    }

    /** The endpoint serving {@code priority}. */
    static Endpoint of(Priority priority) {
        for (Endpoint e : values()) {
            if (e.priority == priority) {
                return e;
            }
        }
        throw new IllegalArgumentException("no endpoint for " + priority);
    }
}
