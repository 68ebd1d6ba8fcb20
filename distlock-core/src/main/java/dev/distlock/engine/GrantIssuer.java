package dev.distlock.engine;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.DistributedLockException;
import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.LockRequest;
import dev.distlock.spi.LeaseRequest;

/**
 * The path of a new (not reentrant) grant: pass the in-JVM gate, win the lease from the backend
 * within the wait time, and hand the grant to the {@link GrantLifecycle}. Whatever fails on the way
 * gives the gate back.
 */
final class GrantIssuer {

	private static final Logger logger = LoggerFactory.getLogger(GrantIssuer.class);

	private final GrantLifecycle lifecycle;

	private final BackendWaiter waiter;

	private final EngineSettings settings;

	private final LocalGates gates = new LocalGates();

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
			gate = this.gates.pass(request.lockId(), deadline - System.nanoTime());
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
		try {
			LeaseRequest leaseRequest = new LeaseRequest(request.lockId(), nextOwner(), leaseTime);
			Optional<BackendWaiter.Attempt> won = this.waiter.acquire(leaseRequest, deadline);
			if (won.isEmpty()) {
				gate.leave();
				logger.debug("Lock '{}' is held by another instance", request.lockId());
				return Optional.empty();
			}
			Grant grant = new Grant(this.lifecycle, won.get().lease(), origin, request.minHoldTime(),
					request.autoRenew(), won.get().startNanos(), won.get().startAt(), gate);
			this.lifecycle.register(grant);
			logger.debug("Acquired lock '{}' with fencing token {}", request.lockId(), grant.fencingToken());
			return Optional.of(grant);
		}
		catch (DistributedLockException ex) {
			gate.leave();
			throw ex;
		}
		catch (RuntimeException ex) {
			gate.leave();
			throw new LockBackendException("Acquiring lock '" + request.lockId() + "' on "
					+ this.lifecycle.provider().id() + " failed: " + ex, ex);
		}
		catch (Error ex) {
			gate.leave();
			throw ex;
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
