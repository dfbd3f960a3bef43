/**
 * nines web adapters: the endpoint guard, the JDK {@code HttpServer} filter and endpoints, the
 * Jakarta Servlet filter and servlets, client-key resolution. The servlet API is needed only by
 * the servlet adapter, so it is a static (compile-time) requirement. Only API packages are
 * exported; {@code internal} stays inside.
 */
module dev.nines.web {
    requires transitive dev.nines.core;
    requires transitive dev.nines.ratelimit;
    requires transitive dev.nines.shedding;
    requires transitive jdk.httpserver;
    requires static transitive jakarta.servlet;

    exports dev.nines.web;
    exports dev.nines.web.jdk;
    exports dev.nines.web.servlet;
}
