package dev.distlock.engine;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.DistributedLockException;
import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.LockRequest;

/**
 * The path of a new (not reentrant) grant: pass the in-JVM gate (which admits as many threads as
 * the request has permits), win the lease of the lock or of one of its {@link PermitSlots} from the
 * backend within the wait time, and hand the grant to the {@link GrantLifecycle}. Whatever fails on the way
 * gives the gate back.
 */
final class GrantIssuer {

	private static final Logger logger = LoggerFactory.getLogger(GrantIssuer.class);

	private final GrantLifecycle lifecycle;

	private final BackendWaiter waiter;

	private final EngineSettings settings;

	private final LocalGates gates = new LocalGates();

	/** This instance's claims on permit slots: one thread per slot. */
	private final LocalGates slotClaims = new LocalGates();

	private final AtomicLong grantCounter = new AtomicLong();

	private final String ownerPrefix;

	GrantIssuer(GrantLifecycle lifecycle, EngineSettings settings) {
		this.lifecycle = lifecycle;
		this.settings = settings;
		this.waiter = new BackendWaiter(lifecycle.provider(), settings);
		this.ownerPrefix = settings.instanceId() + "#" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
				+ ".";
	}

	/**
	 * A new grant for the request, waiting up to its wait time.
	 * @return empty if the lock stayed busy
	 */
	Optional<LockHandle> issue(LockRequest request, LockOrigin origin) {
		Duration leaseTime = this.settings.leaseTime(request);
		if (request.minHoldTime().compareTo(leaseTime) > 0) {
			throw new IllegalArgumentException("minHoldTime " + request.minHoldTime() + " of lock '" + request.lockId()
					+ "' is longer than its leaseTime " + leaseTime + "; the lease would end before it");
		}
		long deadline = System.nanoTime() + this.settings.waitTime(request).toNanos();
		LocalGates.Gate gate;
		try {
			gate = this.gates.pass(request.lockId(), request.permits(), deadline - System.nanoTime());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LockNotAcquiredException(request.lockId(), "Interrupted while waiting for lock '"
					+ request.lockId() + "'");
		}
		if (gate == null) {
			logger.debug("Lock '{}' is held by another thread of this instance", request.lockId());
			return Optional.empty();
		}
		Grant grant = null;
		try {
			PermitSlots slots = new PermitSlots(request.lockId(), request.permits());
			Optional<BackendWaiter.Attempt> won = this.waiter.acquire(slots, nextOwner(), leaseTime, this.slotClaims,
					deadline);
			if (won.isEmpty()) {
				gate.leave();
				logger.debug("Lock '{}' is held by another instance", request.lockId());
				return Optional.empty();
			}
			long fencingToken = slots.fencingToken(won.get().lease().fencingToken(), won.get().slot());
			grant = new Grant(this.lifecycle, request, origin, won.get(), fencingToken, gate);
			this.lifecycle.register(grant);
			logger.debug("Acquired lock '{}' with fencing token {}", request.lockId(), grant.fencingToken());
			return Optional.of(grant);
		}
		catch (DistributedLockException ex) {
			leave(gate, grant);
			throw ex;
		}
		catch (RuntimeException ex) {
			leave(gate, grant);
			throw new LockBackendException("Acquiring lock '" + request.lockId() + "' on "
					+ this.lifecycle.provider().id() + " failed: " + ex, ex);
		}
		catch (Error ex) {
			leave(gate, grant);
			throw ex;
		}
	}

	/** How many lock ids (and permit slots) have an in-JVM gate or claim right now: 0 when nobody uses one. */
	int gatesInUse() {
		return this.gates.size() + this.slotClaims.size();
	}

	/** A grant that failed to register was ended without giving its gates back: that is done here, once. */
	private static void leave(LocalGates.Gate gate, @Nullable Grant grant) {
		if (grant != null) {
			grant.leaveGates();
		}
		else {
			gate.leave();
		}
	}

	/**
	 * {@code instanceId#nonce.n}: the random nonce keeps owners unique even when two processes share
	 * an instance id (replicas with the same configured id, a restart with a fixed id), so no backend
	 * can mistake another process's grant for its own.
	 */
	private String nextOwner() {
		return this.ownerPrefix + this.grantCounter.incrementAndGet();
	}

}
