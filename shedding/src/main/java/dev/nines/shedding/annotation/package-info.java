/** The {@link dev.nines.shedding.annotation.WithPriority @WithPriority} annotation and its handler. */
package dev.nines.shedding.annotation;
