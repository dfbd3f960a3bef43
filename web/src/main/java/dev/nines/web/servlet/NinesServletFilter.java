package dev.nines.web.servlet;

import dev.nines.web.EndpointGuard;
import dev.nines.web.NinesWeb;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Jakarta Servlet filter that protects servlets with nines. Either one fixed
 * {@link EndpointGuard} for everything the filter maps, or, with {@link #annotated(NinesWeb)}, a
 * guard per servlet and HTTP method built from the nines annotations on the servlet's
 * {@code doGet}/{@code doPost}/... method and its class:
 *
 * <pre>{@code
 * @WithRateLimit(permits = 10, period = 1, unit = SECONDS, key = KeySource.CLIENT)
 * public class CartServlet extends HttpServlet {
 *     @WithPriority(P1) protected void doGet(HttpServletRequest req, HttpServletResponse resp) { ... }
 * }
 * context.addFilter(new FilterHolder(NinesServletFilter.annotated(web)), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p><b>Which annotations guard which request.</b> A request is guarded by the annotations of the
 * {@code doXxx} method that serves it, found on the servlet's class or inherited from a superclass,
 * and by the annotations of the servlet's class and its superclasses (a method's own annotation
 * wins over a class's, a subclass's over its superclass's; policies are named after the servlet's
 * class: {@code SearchServlet.doGet}). Methods {@code HttpServlet} answers itself are guarded too:
 * <ul>
 * <li>HEAD, unless the servlet overrides {@code doHead}, runs {@code doGet}, so it gets GET's guard,
 * the very same policies: a client over its limit for GET is refused HEAD as well;
 * <li>OPTIONS and TRACE, unless overridden, run no code of the servlet and get the servlet's
 * class-level policies (their own instances, as every {@code doXxx} method does); with only method
 * annotations, they are not guarded;
 * <li>a method the servlet does not implement (a 405 from {@code HttpServlet}) gets the class-level
 * policies, like OPTIONS.
 * </ul>
 *
 * <p><b>When guards are built.</b> {@link #init(FilterConfig)} builds the guard of every servlet
 * registered in the context (whether or not this filter maps it) for the standard HTTP methods, so
 * an invalid annotation fails startup with an {@link IllegalArgumentException} naming the method
 * and attribute. A servlet that cannot be resolved then (its class does not load, it is registered
 * later, or the request uses another HTTP method) gets its guard on its first request instead, and
 * an invalid annotation fails that request.
 *
 * <p>Permits are released when the filter chain returns: for a servlet that goes asynchronous,
 * that is before the response completes. Thread-safe.
 */
@SuppressWarnings("exports") // jakarta.servlet is required static, not transitive: see module-info
public final class NinesServletFilter implements Filter {

    /** The methods whose guards {@link #init(FilterConfig)} builds: those {@code HttpServlet} dispatches. */
    private static final List<String> STANDARD_METHODS = List.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS",
            "TRACE", "PATCH");

    private final EndpointGuard fixed;
    private final NinesWeb web;
    private final ConcurrentHashMap<String, EndpointGuard> guards = new ConcurrentHashMap<>();
    /** The guards built, by servlet name then HTTP method: a request's lookup builds no string. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, EndpointGuard>> byServlet =
            new ConcurrentHashMap<>();

    private NinesServletFilter(EndpointGuard fixed, NinesWeb web) {
        this.fixed = fixed;
        this.web = web;
    }

    /** A filter applying one guard to every request it sees. */
    public static NinesServletFilter of(EndpointGuard guard) {
        return new NinesServletFilter(Objects.requireNonNull(guard, "guard"), null);
    }

    /** A filter building each servlet's guard from its annotations, at {@link #init(FilterConfig)}. */
    public static NinesServletFilter annotated(NinesWeb web) {
        return new NinesServletFilter(null, Objects.requireNonNull(web, "web"));
    }

    /**
     * Builds the guard of every registered servlet for the standard HTTP methods, so that invalid
     * annotations fail here, at startup, rather than on a request.
     *
     * @throws IllegalArgumentException naming the method and attribute of an invalid annotation
     */
    @Override
    public void init(FilterConfig config) {
        if (web == null) {
            return;
        }
        ServletContext context = config.getServletContext();
        for (ServletRegistration registration : context.getServletRegistrations().values()) {
            Class<?> type = servletClass(context, registration.getClassName());
            if (type != null) {
                for (String httpMethod : STANDARD_METHODS) {
                    guardOf(registration.getName(), type, httpMethod);
                }
            }
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse resp)) {
            chain.doFilter(request, response);
            return;
        }
        EndpointGuard guard = fixed != null ? fixed : guardFor(req);
        if (guard == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            guard.handle(new ServletExchange(req, resp), context -> {
                chain.doFilter(req, resp);
                return null;
            });
        } catch (IOException | ServletException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }

    /** The guard of the servlet serving {@code req}, or null when it cannot be found. */
    private EndpointGuard guardFor(HttpServletRequest req) {
        String servletName = req.getHttpServletMapping() == null ? null : req.getHttpServletMapping().getServletName();
        if (servletName == null) {
            return null;
        }
        ConcurrentHashMap<String, EndpointGuard> methods = byServlet.get(servletName);
        EndpointGuard guard = methods == null ? null : methods.get(req.getMethod());
        if (guard != null) {
            return guard;
        }
        // not built at init (see the class comment): built now, once; an invalid annotation fails this request
        ServletContext context = req.getServletContext();
        ServletRegistration registration = context.getServletRegistration(servletName);
        Class<?> type = registration == null ? null : servletClass(context, registration.getClassName());
        return type == null ? null : guardOf(servletName, type, req.getMethod());
    }

    /**
     * The guard of requests with {@code httpMethod} to the servlet {@code servletName} of class
     * {@code type}, built once and remembered under {@code "servletName METHOD"}; null when no
     * {@code doXxx} method serves {@code httpMethod}. A HEAD that reaches {@code doGet} (the servlet
     * does not override {@code doHead}) gets GET's guard itself, so the two share every policy.
     */
    private EndpointGuard guardOf(String servletName, Class<?> type, String httpMethod) {
        EndpointGuard guard = build(servletName, type, httpMethod);
        if (guard != null) {
            byServlet.computeIfAbsent(servletName, n -> new ConcurrentHashMap<>()).putIfAbsent(httpMethod, guard);
        }
        return guard;
    }

    /** {@link #guardOf}'s guard, built once under {@code "servletName METHOD"}. */
    private EndpointGuard build(String servletName, Class<?> type, String httpMethod) {
        String requestKey = servletName + " " + httpMethod;
        EndpointGuard guard = guards.get(requestKey);
        if (guard != null) {
            return guard;
        }
        String dispatched = "HEAD".equals(httpMethod) && isHttpServletsOwn(handlerMethod(type, "HEAD")) ? "GET"
                : httpMethod;
        Method handler = handlerMethod(type, dispatched);
        if (handler == null) {
            return null;
        }
        guard = guards.computeIfAbsent(servletName + " " + dispatched, k -> web.guard(null, type, handler));
        EndpointGuard raced = guards.putIfAbsent(requestKey, guard);
        return raced != null ? raced : guard;
    }

    /** The servlet class named {@code className}, or null when it does not load. */
    private static Class<?> servletClass(ServletContext context, String className) {
        if (className == null) {
            return null;
        }
        ClassLoader loader = context.getClassLoader() != null ? context.getClassLoader()
                : Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            return null; // not resolvable: pass requests through unguarded, as for a servlet of unknown class
        }
    }

    /**
     * {@code doGet} for GET and so on, found on {@code type} or its superclasses ({@code HttpServlet}'s
     * own included); null for a method {@code HttpServlet} would not dispatch to a {@code doXxx}
     * (it compares names case-sensitively, so a method not in upper case never reaches one).
     */
    private static Method handlerMethod(Class<?> type, String httpMethod) {
        if (httpMethod.isEmpty() || !httpMethod.equals(httpMethod.toUpperCase(Locale.ROOT))) {
            return null;
        }
        String name = "do" + httpMethod.charAt(0) + httpMethod.substring(1).toLowerCase(Locale.ROOT);
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(name, HttpServletRequest.class, HttpServletResponse.class);
            } catch (NoSuchMethodException e) {
                // look further up
            }
        }
        return null;
    }

    /** Whether {@code m} is {@code HttpServlet}'s own, not overridden by the servlet. */
    private static boolean isHttpServletsOwn(Method m) {
        return m != null && m.getDeclaringClass().getName().equals("jakarta.servlet.http.HttpServlet");
    }
}
