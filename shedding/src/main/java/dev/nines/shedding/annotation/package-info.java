/** The {@link dev.nines.shedding.annotation.Priority @Priority} annotation and its handler. */
package dev.nines.shedding.annotation;
