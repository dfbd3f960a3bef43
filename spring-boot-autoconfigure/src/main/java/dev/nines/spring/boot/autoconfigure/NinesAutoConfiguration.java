package dev.nines.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;

/** The nines auto-configuration: policies from {@code nines.*}, shared through one registry. */
@AutoConfiguration
public class NinesAutoConfiguration {

    /** Created by Spring. */
    public NinesAutoConfiguration() {
    }
}
