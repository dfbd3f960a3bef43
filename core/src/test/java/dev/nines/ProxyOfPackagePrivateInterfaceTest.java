package dev.nines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nines.annotation.NinesProxy;
import org.junit.jupiter.api.Test;

/** A proxy of an interface that NinesProxy's own package cannot see must still reach the target. */
class ProxyOfPackagePrivateInterfaceTest {

    interface Hidden {
        String echo(String s);
    }

    @Test
    void invokesTheTargetThroughAnAccessibleMethod() {
        Hidden proxy = NinesProxy.builder(Hidden.class, s -> "echo " + s).handlers().build();
        assertEquals("echo hi", proxy.echo("hi"));
    }
}
