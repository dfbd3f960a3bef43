package dev.nines.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The demo's own settings check (it may not borrow the library's internal one): every bad field, named with its value. */
class GameConfigTest {

    @Test
    void everyInvalidSettingIsNamedWithItsValueInOneMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GameConfig.builder().workers(0).normalRate(-1).clients(0).build());
        assertEquals("workers must be in [1, 64] but was 0; normalRate must be in (0, 2000] but was -1.0; "
                + "clients must be >= 1 but was 0", e.getMessage());
    }

    @Test
    void theDefaultsAreValid() {
        assertEquals(4, GameConfig.builder().build().workers);
    }
}
