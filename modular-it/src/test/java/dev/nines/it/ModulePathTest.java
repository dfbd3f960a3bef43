package dev.nines.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Pipeline;
import dev.nines.annotation.NinesProxy;
import dev.nines.ratelimit.TokenBucket;
import dev.nines.shedding.LoadShedder;
import dev.nines.simulator.OverloadSimulator;
import dev.nines.web.EndpointGuard;
import org.junit.jupiter.api.Test;

/**
 * The premise of every other test here: they run inside the named application module, and each
 * nines jar is a named module of the boot layer, not a jar on the class path.
 */
class ModulePathTest {

    @Test
    void theTestsRunInsideTheNamedApplicationModule() {
        Module app = ModulePathTest.class.getModule();
        assertTrue(app.isNamed(), "surefire put the tests on the class path: " + app);
        assertEquals("dev.nines.it", app.getName());
        assertEquals(app, Warehouse.class.getModule());
    }

    @Test
    void everyNinesJarIsANamedModuleOfTheBootLayer() {
        assertModule("dev.nines.core", Pipeline.class);
        assertModule("dev.nines.core", NinesProxy.class);
        assertModule("dev.nines.ratelimit", TokenBucket.class);
        assertModule("dev.nines.shedding", LoadShedder.class);
        assertModule("dev.nines.web", EndpointGuard.class);
        assertModule("dev.nines.simulator", OverloadSimulator.class);
    }

    @Test
    void theServletApiIsNotThere() {
        assertTrue(ModuleLayer.boot().findModule("jakarta.servlet").isEmpty(), "jakarta.servlet is on the module path");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("jakarta.servlet.Filter"));
    }

    private static void assertModule(String name, Class<?> type) {
        Module m = type.getModule();
        assertTrue(m.isNamed(), type.getName() + " is in the unnamed module: the nines jars are on the class path");
        assertEquals(name, m.getName(), type.getName());
        assertEquals(m, ModuleLayer.boot().findModule(name).orElseThrow(), name + " is not in the boot layer");
    }
}
