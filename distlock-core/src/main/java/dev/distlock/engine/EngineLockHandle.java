package dev.distlock.engine;

import dev.distlock.LockHandle;

/** A handle the engine hands out: a {@link Grant} or a reentrant {@link Reentry} into one. */
sealed interface EngineLockHandle extends LockHandle permits Grant, Reentry {

	boolean isClosed();

}
