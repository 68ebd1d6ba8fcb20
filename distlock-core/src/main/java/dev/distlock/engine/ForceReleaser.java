package dev.distlock.engine;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LockBackendException;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;

/**
 * An operator's force-release of a lock whoever holds it, with the one audit line (WARN) about it.
 */
final class ForceReleaser {

	private static final Logger logger = LoggerFactory.getLogger(ForceReleaser.class);

	private final GrantLifecycle lifecycle;

	ForceReleaser(GrantLifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	/**
	 * Releases the lock in the backend; if this engine holds it, its grant is marked lost at once
	 * rather than at its next renewal.
	 * @throws UnsupportedOperationException if the provider lacks
	 * {@link ProviderCapability#FORCE_RELEASE}
	 * @throws LockBackendException if the backend failed
	 */
	ForcedRelease forceRelease(String lockId, String requestedBy) {
		LockProvider provider = this.lifecycle.provider();
		Set<ProviderCapability> capabilities = provider.capabilities();
		if (!capabilities.contains(ProviderCapability.FORCE_RELEASE)) {
			throw ProviderCapability.FORCE_RELEASE.missingIn(provider.id());
		}
		BackendLock holder = capabilities.contains(ProviderCapability.LISTING) ? inspectQuietly(lockId) : null;
		boolean released;
		try {
			released = provider.forceRelease(lockId);
		}
		catch (RuntimeException ex) {
			logger.warn("Force-release of lock '{}' on {} requested by {} failed: {}", lockId, provider.id(),
					requestedBy, ex.toString());
			throw ex;
		}
		if (!released) {
			logger.warn("Force-release of lock '{}' on {} requested by {}: nobody held it", lockId, provider.id(),
					requestedBy);
			return new ForcedRelease(false, null);
		}
		logger.warn("Force-released lock '{}' on {} as requested by {}; evicted holder: {}", lockId, provider.id(),
				requestedBy,
				(holder != null) ? holder.instance() + " (fencing token " + holder.fencingToken() + ")" : "unknown");
		Grant local = this.lifecycle.held(lockId);
		if (local != null) {
			this.lifecycle.leaseRefused(local, "force-released by an operator");
		}
		return new ForcedRelease(true, holder);
	}

	/** The holder before a force-release, for the audit line: not worth failing the release for. */
	private @Nullable BackendLock inspectQuietly(String lockId) {
		try {
			return this.lifecycle.provider().inspect(lockId).orElse(null);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not inspect lock '{}' before force-releasing it", lockId, ex);
			return null;
		}
	}

}
