package dev.distlock.engine;

import org.jspecify.annotations.Nullable;

import dev.distlock.spi.BackendLock;

/**
 * What an operator's force-release did.
 *
 * @param released whether a lock was held and is now released
 * @param evicted the holder the backend named just before, where the provider can list its backend
 */
public record ForcedRelease(boolean released, @Nullable BackendLock evicted) {

}
