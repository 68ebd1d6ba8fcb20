/**
 * The lock engine: in-JVM gate, reentrancy, waiting, minimum hold, fencing tokens carried to the
 * handle, and the lease watchdog. Providers only do single round trips.
 */
@NullMarked
package dev.distlock.engine;

import org.jspecify.annotations.NullMarked;
