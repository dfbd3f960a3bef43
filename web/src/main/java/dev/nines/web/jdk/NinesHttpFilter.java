package dev.nines.web.jdk;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.nines.web.EndpointGuard;
import dev.nines.web.NinesWeb;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Objects;

/**
 * Puts an {@link EndpointGuard} in front of a handler of the JDK's built-in HTTP server:
 *
 * <pre>{@code
 * HttpContext checkout = server.createContext("/checkout", checkoutHandler);
 * checkout.getFilters().add(NinesHttpFilter.annotated(web, checkoutHandler)); // from @WithRateLimit, @WithPriority ...
 * }</pre>
 *
 * Thread-safe.
 */
public final class NinesHttpFilter extends Filter {

    private final EndpointGuard guard;

    private NinesHttpFilter(EndpointGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /** A filter applying {@code guard}. */
    public static NinesHttpFilter of(EndpointGuard guard) {
        return new NinesHttpFilter(guard);
    }

    /**
     * A filter built from the nines annotations on {@code handler}'s {@code handle} method and its
     * class. The method is resolved on the handler's runtime class, so a {@code handle} inherited
     * from a base class is guarded by the annotations of the concrete class (and of its
     * superclasses, the nearest winning; a method's own annotation wins over a class's), and its
     * policies are named after the concrete class: {@code SearchHandler.handle}. Every HTTP method
     * (HEAD, OPTIONS ... included) reaches the one handler, so one guard covers them all.
     *
     * @throws IllegalArgumentException naming the method and attribute of an invalid annotation
     */
    public static NinesHttpFilter annotated(NinesWeb web, HttpHandler handler) {
        Objects.requireNonNull(web, "web");
        Objects.requireNonNull(handler, "handler");
        Method handle;
        try {
            handle = handler.getClass().getMethod("handle", HttpExchange.class);
        } catch (NoSuchMethodException impossible) {
            throw new IllegalStateException("an HttpHandler without handle(HttpExchange)", impossible);
        }
        return new NinesHttpFilter(web.guard(handler, handler.getClass(), handle));
    }

    /** The guard this filter applies. */
    public EndpointGuard guard() {
        return guard;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        try {
            guard.handle(new JdkExchange(exchange), context -> {
                chain.doFilter(exchange);
                return null;
            });
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public String description() {
        return "nines " + guard;
    }
}
