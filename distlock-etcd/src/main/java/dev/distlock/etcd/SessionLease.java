package dev.distlock.etcd;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LockBackendException;

/**
 * The one etcd lease of a provider instance, to which every lock key it writes is attached: one
 * keep-alive renews all of the instance's locks, whatever their number, and when the instance dies
 * (or is cut off for longer than the TTL) etcd deletes all of its keys. Granted on first use and
 * again after etcd ended it (expiry, revocation); kept alive every third of its TTL by a daemon
 * thread of its own, so an instance's locks outlive any engine renewal interval.
 *
 * <p>etcd counts lease TTLs in whole seconds and raises any TTL below its minimum (about 2 s with
 * default election settings) to that minimum: the TTL asked for is rounded up to whole seconds.
 */
final class SessionLease implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SessionLease.class);

	private final Lease leases;

	private final EtcdCalls calls;

	private final long ttlSeconds;

	private final ScheduledExecutorService keeper;

	/**
	 * Guards {@link #id}. A {@code ReentrantLock}, not a monitor: granting blocks on a network call,
	 * which would pin a virtual thread's carrier inside {@code synchronized} on Java 21–23.
	 */
	private final ReentrantLock idLock = new ReentrantLock();

	private long id; // guarded by idLock; 0 while there is none

	private final Runnable afterRenewal;

	private volatile boolean keepAliveFailing;

	/**
	 * @param afterRenewal runs on the keep-alive thread after each background renewal that reached etcd
	 * (to clean up what earlier failed calls left behind)
	 */
	SessionLease(Lease leases, EtcdCalls calls, Duration ttl, Runnable afterRenewal) {
		if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("The etcd session TTL must be at least 1s, was " + ttl);
		}
		this.leases = leases;
		this.calls = calls;
		this.ttlSeconds = (ttl.toMillis() + 999) / 1000;
		this.afterRenewal = afterRenewal;
		this.keeper = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "distlock-etcd-keepalive");
			thread.setDaemon(true);
			return thread;
		});
		long interval = Math.max(100, this.ttlSeconds * 1000 / 3);
		this.keeper.scheduleWithFixedDelay(this::keepAlive, interval, interval, TimeUnit.MILLISECONDS);
	}

	/** The TTL of the session lease in seconds, as asked of etcd. */
	long ttlSeconds() {
		return this.ttlSeconds;
	}

	/** The current lease, granted now if there is none. */
	long current() {
		this.idLock.lock();
		try {
			if (this.id == 0) {
				this.id = this.calls
					.await("grant a " + this.ttlSeconds + "s session lease", this.leases.grant(this.ttlSeconds))
					.getID();
				logger.debug("Granted etcd session lease {} ({} s)", Long.toHexString(this.id), this.ttlSeconds);
			}
			return this.id;
		}
		finally {
			this.idLock.unlock();
		}
	}

	/** The current lease, or 0 if etcd ended the last one and none was granted since. */
	long granted() {
		this.idLock.lock();
		try {
			return this.id;
		}
		finally {
			this.idLock.unlock();
		}
	}

	/**
	 * Renews the lease (one keep-alive round trip) and reads which keys are attached to it (one
	 * more), whatever their number.
	 * @return the keys attached to the lease, or empty if etcd ended the lease (every lock is lost)
	 * @throws LockBackendException if etcd cannot tell (unreachable, no quorum)
	 */
	Optional<Set<ByteSequence>> renewAndReadKeys(long lease) {
		if (!renew(lease)) {
			return Optional.empty();
		}
		LeaseTimeToLiveResponse alive = this.calls.await("read the keys of session lease " + Long.toHexString(lease),
				this.leases.timeToLive(lease, LeaseOption.builder().withAttachedKeys().build()));
		if (alive.getTTL() <= 0) {
			ended(lease);
			return Optional.empty();
		}
		return Optional.of(alive.getKeys().stream().collect(Collectors.toUnmodifiableSet()));
	}

	/** Forgets the lease if it is still the current one: etcd ended it (a put found no such lease). */
	void ended(long lease) {
		this.idLock.lock();
		try {
			if (this.id == lease) {
				this.id = 0;
				logger.warn("etcd session lease {} ended (expired or revoked): every lock attached to it is lost",
						Long.toHexString(lease));
			}
		}
		finally {
			this.idLock.unlock();
		}
	}

	private boolean renew(long lease) {
		try {
			LeaseKeepAliveResponse renewed = this.calls.await("renew session lease " + Long.toHexString(lease),
					this.leases.keepAliveOnce(lease));
			if (renewed.getTTL() <= 0) {
				ended(lease);
				return false;
			}
			return true;
		}
		catch (LockBackendException ex) {
			if (EtcdCalls.isLeaseNotFound(ex)) {
				ended(lease);
				return false;
			}
			throw ex;
		}
	}

	private void keepAlive() {
		long lease = granted();
		if (lease == 0) {
			return;
		}
		try {
			renew(lease);
			if (this.keepAliveFailing) {
				this.keepAliveFailing = false;
				logger.warn("etcd session lease {} is renewed again", Long.toHexString(lease));
			}
			this.afterRenewal.run();
		}
		catch (RuntimeException ex) {
			if (!this.keepAliveFailing) {
				this.keepAliveFailing = true;
				logger.warn("Could not renew etcd session lease {}; its locks are at risk until it is renewed: {}",
						Long.toHexString(lease), ex.getMessage());
			}
		}
	}

	/** Stops renewing and revokes the lease, so the instance's locks are freed at once. */
	@Override
	public void close() {
		this.keeper.shutdownNow();
		long lease = granted();
		if (lease != 0) {
			try {
				this.calls.await("revoke session lease " + Long.toHexString(lease), this.leases.revoke(lease));
			}
			catch (RuntimeException ex) {
				logger.debug("Could not revoke etcd session lease {}: it expires by itself", Long.toHexString(lease), ex);
			}
			this.idLock.lock();
			try {
				this.id = 0;
			}
			finally {
				this.idLock.unlock();
			}
		}
	}

	/** Whether the last background renewal failed: the instance's locks are at risk. */
	boolean atRisk() {
		return this.keepAliveFailing;
	}

}
