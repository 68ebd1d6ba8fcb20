/**
 * The {@code in-memory} provider: one JVM only, for tests and local development.
 */
@NullMarked
package dev.distlock.memory;

import org.jspecify.annotations.NullMarked;
