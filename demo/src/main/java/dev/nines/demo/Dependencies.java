package dev.nines.demo;

import dev.nines.Sleeper;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shop's three simulated dependencies, by name. */
final class Dependencies {

    private final Map<String, Downstream> byName = new LinkedHashMap<>();

    Dependencies(GameConfig config, Sleeper sleeper) {
        for (String name : new String[] {Downstream.PAYMENTS, Downstream.INVENTORY, Downstream.CATALOG}) {
            byName.put(name, new Downstream(name, config.dependencyLatency, config.slowLatency, sleeper));
        }
    }

    /** The dependency called {@code name}. */
    Downstream get(String name) {
        Downstream d = byName.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no dependency '" + name + "'");
        }
        return d;
    }

    /** The dependency names, in a fixed order. */
    Iterable<String> names() {
        return byName.keySet();
    }

    /** The dependency the outage hits. */
    Downstream catalog() {
        return get(Downstream.CATALOG);
    }
}
