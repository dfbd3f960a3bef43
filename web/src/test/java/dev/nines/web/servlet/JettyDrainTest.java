package dev.nines.web.servlet;

import dev.nines.web.DrainOnAServerContract;
import dev.nines.web.HealthEndpoint;
import dev.nines.web.NinesWeb;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * A drain in a real embedded Jetty on loopback, behind {@link NinesServletFilter#annotated} mapped
 * to every path, the probes included: the health servlets must not be drained.
 */
class JettyDrainTest extends DrainOnAServerContract {

    private Server server;

    /** Holds its request at the gate, then answers 200 "done". */
    public static final class WorkServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient Gate gate;

        WorkServlet(Gate gate) {
            this.gate = gate;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            gate.hold();
            resp.setStatus(200);
            resp.setContentLength(4);
            resp.getWriter().write("done");
            gate.left();
        }
    }

    @Override
    protected int startServer(NinesWeb web, HealthEndpoint health, Gate gate) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new WorkServlet(gate)), "/work");
        context.addServlet(new ServletHolder(HealthServlet.liveness(health)), "/livez");
        context.addServlet(new ServletHolder(HealthServlet.readiness(health)), "/readyz");
        context.addFilter(new FilterHolder(NinesServletFilter.annotated(web)), "/*", EnumSet.of(DispatcherType.REQUEST));
        // the drain waits for handlers; Jetty's graceful stop then waits for their responses to be sent
        GracefulHandler graceful = new GracefulHandler(context);
        server.setHandler(graceful);
        server.setStopTimeout(WAIT_S * 1000);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    protected void stopServer() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
