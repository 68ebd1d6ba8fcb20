package dev.distlock.actuate;

import java.security.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;

import dev.distlock.Leadership;
import dev.distlock.engine.ForcedRelease;
import dev.distlock.engine.HeldLock;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngines;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.ProviderCapability;

/**
 * The {@code locks} Actuator endpoint: the locks this instance holds, one lock with its cluster-wide
 * holder where the provider can tell, and an operator's force-release of a stuck lock.
 *
 * <p>Lock names may contain {@code /}: the selector takes all remaining path segments, so
 * {@code /actuator/locks/reports/daily} addresses the lock {@code reports/daily}. The single-lock
 * operations act on the primary provider unless the {@code provider} parameter names another
 * {@code LockProvider} bean. Output carries lock names, tokens, times, instance ids and provider ids:
 * never connection details.
 */
@Endpoint(id = "locks")
public class LocksEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(LocksEndpoint.class);

	private final LockEngines engines;

	private final boolean forceReleaseEnabled;

	private final Supplier<List<Leadership>> leaderships;

	/**
	 * @param engines the application's lock engines
	 * @param forceReleaseEnabled whether the delete operation may release locks
	 * ({@code distlock.actuator.force-release-enabled})
	 */
	public LocksEndpoint(LockEngines engines, boolean forceReleaseEnabled) {
		this(engines, forceReleaseEnabled, List::of);
	}

	/**
	 * @param engines the application's lock engines
	 * @param forceReleaseEnabled whether the delete operation may release locks
	 * ({@code distlock.actuator.force-release-enabled})
	 * @param leaderships the leader-election groups this instance has joined
	 */
	public LocksEndpoint(LockEngines engines, boolean forceReleaseEnabled, Supplier<List<Leadership>> leaderships) {
		this.engines = engines;
		this.forceReleaseEnabled = forceReleaseEnabled;
		this.leaderships = leaderships;
	}

	/** The locks this instance holds right now, on every provider. */
	@ReadOperation
	public LocksDescriptor locks() {
		LockEngine primary = this.engines.primary();
		boolean several = this.engines.providerNames().size() > 1;
		List<HeldLockDescriptor> held = new ArrayList<>();
		for (LockEngine engine : this.engines.all()) {
			String provider = several ? engine.provider().id() : null;
			engine.heldLocks().forEach((lock) -> held.add(HeldLockDescriptor.of(lock, provider)));
		}
		held.sort((a, b) -> a.acquiredAt().compareTo(b.acquiredAt()));
		List<LeadershipDescriptor> leadership = this.leaderships.get().stream().map(LeadershipDescriptor::of).toList();
		return new LocksDescriptor(primary.settings().instanceId(), primary.provider().id(), held, leadership);
	}

	/**
	 * One lock: whether this instance holds it, and who holds it cluster-wide where the provider can
	 * inspect its backend.
	 * @param lock the lock name's path segments
	 * @param provider the {@code LockProvider} bean name, or {@code null} for the primary one
	 * @return {@code null} (not found) if neither this instance nor, as far as the backend tells,
	 * anyone else holds it
	 */
	@ReadOperation
	public @Nullable LockDescriptor lock(@Selector(match = Match.ALL_REMAINING) String[] lock,
			@Nullable String provider) {
		String lockId = lockId(lock);
		LockEngine engine = engine(provider);
		HeldLockDescriptor held = engine.heldLock(lockId).map((heldLock) -> HeldLockDescriptor.of(heldLock, null))
			.orElse(null);
		HolderDescriptor holder = canList(engine)
				? engine.provider().inspect(lockId).map(HolderDescriptor::of).orElse(null) : null;
		if (held == null && holder == null) {
			return null;
		}
		return new LockDescriptor(lockId, engine.provider().id(), held, holder);
	}

	/**
	 * Releases a lock cluster-wide whoever holds it, if {@code distlock.actuator.force-release-enabled}
	 * allows it. The evicted holder's next renewal fails (it sees its lease lost), and the next grant
	 * gets a higher fencing token, so a fencing-aware resource refuses the evicted holder's writes. The
	 * engine writes the audit line (WARN, with who asked); this endpoint logs only refusals.
	 * @param lock the lock name's path segments
	 * @param provider the {@code LockProvider} bean name, or {@code null} for the primary one
	 * @param securityContext who asks, for the audit log
	 */
	@DeleteOperation
	public ForceReleaseDescriptor forceRelease(@Selector(match = Match.ALL_REMAINING) String[] lock,
			@Nullable String provider, SecurityContext securityContext) {
		String lockId = lockId(lock);
		LockEngine engine = engine(provider);
		String providerId = engine.provider().id();
		String requester = requester(securityContext);
		if (!this.forceReleaseEnabled) {
			logger.warn("Refused to force-release lock '{}' on {} requested by {}: "
					+ "distlock.actuator.force-release-enabled is false", lockId, providerId, requester);
			return new ForceReleaseDescriptor(lockId, providerId, ForceReleaseOutcome.REFUSED,
					"Force release is disabled; set distlock.actuator.force-release-enabled=true to allow it", null);
		}
		if (!engine.provider().capabilities().contains(ProviderCapability.FORCE_RELEASE)) {
			logger.warn("Refused to force-release lock '{}' on {} requested by {}: the provider cannot release "
					+ "another owner's lock", lockId, providerId, requester);
			return new ForceReleaseDescriptor(lockId, providerId, ForceReleaseOutcome.UNSUPPORTED,
					"The " + providerId + " provider cannot force-release locks", null);
		}
		ForcedRelease result = engine.forceRelease(lockId, requester);
		if (!result.released()) {
			return new ForceReleaseDescriptor(lockId, providerId, ForceReleaseOutcome.NOT_HELD,
					"Nobody held lock '" + lockId + "'", null);
		}
		BackendLock evicted = result.evicted();
		return new ForceReleaseDescriptor(lockId, providerId, ForceReleaseOutcome.RELEASED,
				"Released lock '" + lockId + "'; the next grant gets a higher fencing token",
				(evicted != null) ? HolderDescriptor.of(evicted) : null);
	}

	private static boolean canList(LockEngine engine) {
		return engine.provider().capabilities().contains(ProviderCapability.LISTING);
	}

	private LockEngine engine(@Nullable String provider) {
		if (provider == null || provider.isEmpty()) {
			return this.engines.primary();
		}
		if (!this.engines.hasProvider(provider)) {
			throw new InvalidEndpointRequestException("No LockProvider bean named '" + provider + "'",
					"Unknown provider");
		}
		return this.engines.forProvider(provider);
	}

	private static String requester(SecurityContext securityContext) {
		Principal principal = securityContext.getPrincipal();
		return (principal != null) ? "'" + principal.getName() + "'" : "an unauthenticated caller";
	}

	private static String lockId(String[] segments) {
		String lockId = String.join("/", segments);
		if (lockId.isEmpty()) {
			throw new InvalidEndpointRequestException("A lock name is required", "Missing lock name");
		}
		return lockId;
	}

	/** Timestamps for people: millisecond precision is plenty. */
	private static Instant millis(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MILLIS);
	}

	/**
	 * The locks this instance holds.
	 *
	 * @param instance this instance's id
	 * @param provider the primary provider's id ({@code redis}, {@code jdbc-table}, ...)
	 * @param held the held locks, oldest first
	 * @param leadership one entry per leader-election group this instance has joined
	 */
	public record LocksDescriptor(String instance, String provider, List<HeldLockDescriptor> held,
			List<LeadershipDescriptor> leadership) implements OperationResponseBody {

	}

	/**
	 * This instance's membership of a leader-election group.
	 *
	 * @param group the group
	 * @param leader whether this instance leads it
	 * @param term the current term (fencing token) while it leads, else {@code null}
	 */
	public record LeadershipDescriptor(String group, boolean leader, @Nullable Long term) {

		static LeadershipDescriptor of(Leadership leadership) {
			OptionalLong term = leadership.term();
			return new LeadershipDescriptor(leadership.group(), term.isPresent(),
					term.isPresent() ? term.getAsLong() : null);
		}

	}

	/**
	 * A lock this instance holds.
	 *
	 * @param lock the lock id
	 * @param fencingToken the grant's fencing token
	 * @param acquiredAt when it was granted (UTC)
	 * @param expiresAt when the lease ends unless renewed (UTC)
	 * @param renewals how many times the lease was renewed
	 * @param source the annotated method ({@code com.example.Billing.charge}) or {@code LockTemplate}
	 * @param thread the name of the thread that acquired it
	 * @param permits how many holders the lock may have at once (1 for a plain lock)
	 * @param provider the provider id, only when the application has several providers
	 */
	public record HeldLockDescriptor(String lock, long fencingToken, Instant acquiredAt, Instant expiresAt,
			long renewals, String source, String thread, int permits, @Nullable String provider) {

		static HeldLockDescriptor of(HeldLock lock, @Nullable String provider) {
			return new HeldLockDescriptor(lock.lock(), lock.fencingToken(), millis(lock.acquiredAt()),
					millis(lock.expiresAt()), lock.renewals(), lock.source(), lock.thread(), lock.permits(), provider);
		}

	}

	/**
	 * The holder of a lock as the backend sees it, whichever instance that is.
	 *
	 * @param instance the holder's instance id
	 * @param fencingToken the holder's fencing token ({@code 0} if the backend cannot tell)
	 * @param expiresAt when the lease ends by the backend's clock; absent for session-scoped locks
	 */
	public record HolderDescriptor(String instance, long fencingToken, @Nullable Instant expiresAt) {

		static HolderDescriptor of(BackendLock lock) {
			Instant expiresAt = lock.expiresAt();
			return new HolderDescriptor(lock.instance(), lock.fencingToken(),
					(expiresAt != null) ? millis(expiresAt) : null);
		}

	}

	/**
	 * One lock.
	 *
	 * @param lock the lock id
	 * @param provider the provider id
	 * @param held this instance's grant, if it holds the lock
	 * @param holder the cluster-wide holder, where the provider can inspect its backend
	 */
	public record LockDescriptor(String lock, String provider, @Nullable HeldLockDescriptor held,
			@Nullable HolderDescriptor holder) implements OperationResponseBody {

	}

	/**
	 * The result of a force-release.
	 *
	 * @param lock the lock id
	 * @param provider the provider id
	 * @param outcome what happened
	 * @param message the outcome in words
	 * @param evicted the holder that was evicted, where the provider could tell
	 */
	public record ForceReleaseDescriptor(String lock, String provider, ForceReleaseOutcome outcome, String message,
			@Nullable HolderDescriptor evicted) implements OperationResponseBody {

	}

	/** What a force-release did. */
	public enum ForceReleaseOutcome {

		/** The lock was held and is now free. */
		RELEASED,

		/** Nobody held the lock. */
		NOT_HELD,

		/** Force release is disabled by configuration. */
		REFUSED,

		/** The provider cannot release another owner's lock. */
		UNSUPPORTED

	}

}
