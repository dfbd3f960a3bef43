package dev.nines.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small JSON reader the report uses instead of a dependency. */
class JsonTest {

    @Test
    void parsesNestedObjectsArraysNumbersStringsAndLiterals() {
        Object value = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"x\\\"y\\u00b7\\n\"}, \"e\": {}} ");
        Map<String, Object> root = Json.object(value);
        assertEquals(Arrays.asList(1.0, -2500.0, true, false, null), root.get("a"));
        assertEquals("x\"y\u00b7\n", Json.object(root.get("b")).get("c"));
        assertEquals(Map.of(), root.get("e"));
        assertEquals(List.of("a", "b", "e"), List.copyOf(root.keySet()));
    }

    @Test
    void readsNonFiniteNumbersThatJmhWritesAsStrings() {
        assertTrue(Double.isNaN(Json.number("NaN")));
        assertEquals(Double.POSITIVE_INFINITY, Json.number("Infinity"));
        assertTrue(Double.isNaN(Json.number(null)));
        assertEquals(3.5, Json.number(3.5));
    }

    @Test
    void rejectsMalformedInputNamingTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertEquals("invalid JSON at offset 5: expected ']'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
    }
}
