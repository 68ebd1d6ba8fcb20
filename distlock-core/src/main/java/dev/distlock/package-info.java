/**
 * The public API of distlock: {@link dev.distlock.DistributedLocked}, {@link dev.distlock.LockTemplate},
 * {@link dev.distlock.LockHandle}, {@link dev.distlock.LockContext} and the exceptions.
 */
@NullMarked
package dev.distlock;

import org.jspecify.annotations.NullMarked;
