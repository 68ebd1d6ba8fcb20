/**
 * The provider SPI: implement {@link dev.distlock.spi.LockProvider} to add a lock backend, and prove
 * it with the TCK in {@code distlock-test}.
 */
@NullMarked
package dev.distlock.spi;

import org.jspecify.annotations.NullMarked;
