/**
 * The deterministic overload simulator: {@link dev.nines.simulator.OverloadSimulator} drives a
 * load shedder in virtual time and returns results as data for reports. A tuning tool, shipped
 * apart from the runtime {@code nines-shedding} jar.
 */
package dev.nines.simulator;
