/**
 * Operations support: the Actuator {@code locks} endpoint, the {@code distlock} health indicator and
 * the Micrometer observations and meters of lock engines.
 */
@NullMarked
package dev.distlock.actuate;

import org.jspecify.annotations.NullMarked;
