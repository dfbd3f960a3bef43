/**
 * nines web adapters: the endpoint guard, the JDK {@code HttpServer} filter and endpoints, the
 * Jakarta Servlet filter and servlets, client-key resolution. Only API packages are exported;
 * {@code internal} stays inside.
 *
 * <p>The servlet API is needed only by the servlet adapter ({@code dev.nines.web.servlet}), so it
 * is a static requirement and deliberately not a transitive one: javac resolves a dependency's
 * {@code requires static transitive} when compiling the application, so an application on the JDK
 * server alone could not compile without the servlet jar. An application that uses the servlet
 * adapter has the servlet API already (its container's) and requires it itself.
 */
module dev.nines.web {
    requires transitive dev.nines.core;
    requires transitive dev.nines.ratelimit;
    requires transitive dev.nines.shedding;
    requires transitive jdk.httpserver;
    requires static jakarta.servlet;

    exports dev.nines.web;
    exports dev.nines.web.jdk;
    exports dev.nines.web.servlet;
}
