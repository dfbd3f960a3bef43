/** The {@link dev.nines.shedding.annotation.WithPriority @WithPriority} annotation; its handler is internal. */
package dev.nines.shedding.annotation;
