package dev.distlock.spi;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A lock as the backend sees it, whoever holds it: for operators' cluster-wide views.
 *
 * @param lockId the lock id
 * @param owner the owner token of the holder ({@code instance#n}), or a backend-specific
 * description when the backend does not store it
 * @param fencingToken the holder's fencing token, or {@code 0} if the backend cannot tell
 * @param expiresAt when the lease runs out by the backend's clock, or {@code null} for session-scoped locks
 */
public record BackendLock(String lockId, String owner, long fencingToken, @Nullable Instant expiresAt) {

	/** The instance id part of the owner token. */
	public String instance() {
		int hash = this.owner.lastIndexOf('#');
		return (hash > 0) ? this.owner.substring(0, hash) : this.owner;
	}

}
