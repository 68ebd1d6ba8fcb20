package dev.distlock.etcd;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LockBackendException;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

/**
 * The {@code etcd} provider, on jetcd: a lock is a key under a prefix (default
 * {@value #DEFAULT_KEY_PREFIX}, {@link EtcdLockKey}) whose value is the grant's owner token,
 * attached to the instance's session lease. etcd's Raft log makes every grant linearizable: a lock
 * survives the loss of any minority of the cluster's members.
 *
 * <ul>
 * <li><b>Acquire</b> is one transaction: if the key's create revision is 0 (absent), put it with the
 * session lease and read it back; else read the holder. Reading our own owner back in the else branch
 * means an earlier, retried attempt of this very grant already wrote it.</li>
 * <li><b>Fencing token</b>: the key's create revision, etcd's cluster-wide revision at the grant;
 * it strictly increases across grants, releases, expiries and member restarts.</li>
 * <li><b>Release</b> deletes the key in a transaction only if its create revision and owner are
 * still the lease's.</li>
 * <li><b>Extend</b> is a keep-alive of the session lease, and a read of the keys attached to it
 * ({@link #extendAll}: two round trips for any number of leases).</li>
 * <li><b>Waiters</b> wake through one watch on the prefix ({@link ReleaseWatch}).</li>
 * <li><b>Listing</b> is one range read of the prefix; <b>force release</b> deletes the key.</li>
 * </ul>
 *
 * <h2>One lease per instance, not one per lock</h2>
 * A lease per lock would cost a grant per acquisition and a keep-alive per held lock per renewal
 * interval: renewing 1,000 locks would be 1,000 round trips. All of an instance's keys are attached
 * to one session lease instead ({@link SessionLease}): one keep-alive renews them all, and when the
 * instance dies etcd deletes them all once the session TTL (default 10 s) passes. The leases are
 * therefore {@link ProviderCapability#SESSION_SCOPED_LEASES session-scoped}: a lock's own
 * {@code leaseTime} is the engine's local expiry, and a lock that must end at its lease time (a fixed
 * lease, the end of a minimum hold) is released by the engine, never left to a backend TTL — which
 * etcd could not make shorter than about 2 s anyway.
 *
 * <h2>When the cluster cannot answer</h2>
 * Every call waits at most the request timeout (default 5 s) and then fails with
 * {@link LockBackendException}: acquisitions fail closed, and renewals that cannot be confirmed
 * throw, so the engine declares a lease lost once its lease time passes unconfirmed. Writes whose
 * answer never came are undone on a later call ({@link OrphanedKeys}).
 *
 * <p>A provider built on a caller's {@link Client} never closes it; one built by {@link #connect}
 * owns its client. Closing the provider revokes its session lease, which frees its locks at once.
 *
 * <p>About 400 lines, a quarter of them this Javadoc: each SPI operation is one etcd transaction
 * plus the translation of its answer, kept together so the compare conditions can be read side by
 * side; the session lease, the watch, key mapping and orphan sweeping live beside it.
 */
public final class EtcdLockProvider implements LockProvider {

	/** The prefix of all lock keys unless configured otherwise. */
	public static final String DEFAULT_KEY_PREFIX = "/distlock/";

	/** How long a call waits for etcd before it fails closed, unless configured otherwise. */
	public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

	/** TTL of the session lease unless configured otherwise: how long a crashed holder blocks its locks. */
	public static final Duration DEFAULT_SESSION_TTL = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(EtcdLockProvider.class);

	private static final Set<ProviderCapability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
			ProviderCapability.RELEASE_NOTIFICATIONS, ProviderCapability.SESSION_SCOPED_LEASES,
			ProviderCapability.BATCH_EXTEND, ProviderCapability.LISTING, ProviderCapability.FORCE_RELEASE));

	private final Client client;

	private final boolean ownsClient;

	private final KV kv;

	private final EtcdLockKey keys;

	private final EtcdCalls calls;

	private final SessionLease session;

	private final ReleaseWatch watch;

	private final OrphanedKeys orphans;

	/** The grants this instance made and has not released: key → grant, to confirm leases in renewals. */
	private final Map<ByteSequence, Grant> grants = new ConcurrentHashMap<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * A provider on the caller's client with keys under {@value #DEFAULT_KEY_PREFIX}, a 10 s session
	 * TTL and a 5 s request timeout. The client is not closed by {@link #close()}.
	 */
	public EtcdLockProvider(Client client) {
		this(client, DEFAULT_KEY_PREFIX, DEFAULT_SESSION_TTL, DEFAULT_REQUEST_TIMEOUT);
	}

	/**
	 * A provider on the caller's client. The client is not closed by {@link #close()}.
	 * @param client a jetcd client; the caller closes it
	 * @param keyPrefix the prefix of all lock keys, e.g. {@value #DEFAULT_KEY_PREFIX}; end it with a
	 * separator so that no other prefix starts with it
	 * @param sessionTtl TTL of the instance's session lease, rounded up to whole seconds (etcd raises it
	 * to its minimum, about 2 s): how long the locks of a crashed or cut-off instance stay blocked
	 * @param requestTimeout how long a call waits for etcd before it fails with {@link LockBackendException}
	 */
	public EtcdLockProvider(Client client, String keyPrefix, Duration sessionTtl, Duration requestTimeout) {
		this(client, keyPrefix, sessionTtl, requestTimeout, "etcd", false);
	}

	private EtcdLockProvider(Client client, String keyPrefix, Duration sessionTtl, Duration requestTimeout,
			String endpoints, boolean ownsClient) {
		this.client = client;
		this.ownsClient = ownsClient;
		this.kv = client.getKVClient();
		this.keys = new EtcdLockKey(keyPrefix);
		this.calls = new EtcdCalls(requestTimeout, endpoints);
		this.orphans = new OrphanedKeys(this.kv, this.calls);
		// Orphans go on the next background renewal too: a holder that acquires nothing more must not
		// keep a key whose release failed while etcd had no quorum.
		this.session = new SessionLease(client.getLeaseClient(), this.calls, sessionTtl, this.orphans::sweep);
		this.watch = new ReleaseWatch(client.getWatchClient(), this.keys.prefix(), requestTimeout);
		// The first calls on a new jetcd client (channel, Vert.x, protobuf classes) take seconds on a busy
		// machine: warm up in the background, so the first acquisition (say, a per-second scheduled job's
		// first tick) does not pay for it. Failing here is harmless: an application may start while etcd is
		// down, and the first acquisition grants the session lease then.
		CompletableFuture.runAsync(this::warmUp);
	}

	private void warmUp() {
		try {
			this.session.current();
			checkHealth();
		}
		catch (RuntimeException ex) {
			logger.debug("etcd is not reachable yet; the first acquisition will try again", ex);
		}
	}

	/**
	 * A provider with its own jetcd client (closed by {@link #close()}), with keys under
	 * {@value #DEFAULT_KEY_PREFIX}, a 10 s session TTL and a 5 s request timeout.
	 * @param endpoints the members, e.g. {@code http://etcd1:2379,http://etcd2:2379}
	 */
	public static EtcdLockProvider connect(String endpoints) {
		return connect(endpoints, DEFAULT_KEY_PREFIX, DEFAULT_SESSION_TTL, DEFAULT_REQUEST_TIMEOUT);
	}

	/**
	 * A provider with its own jetcd client, closed by {@link #close()}. Nothing is sent until the first
	 * call: an application may start while etcd is down.
	 * @param endpoints comma-separated member URLs, e.g. {@code http://etcd1:2379,http://etcd2:2379}
	 * @param keyPrefix the prefix of all lock keys
	 * @param sessionTtl TTL of the instance's session lease (whole seconds)
	 * @param requestTimeout how long a call waits for etcd before it fails closed
	 */
	public static EtcdLockProvider connect(String endpoints, String keyPrefix, Duration sessionTtl,
			Duration requestTimeout) {
		List<URI> uris = EtcdEndpoints.parse(endpoints);
		Client client = Client.builder()
			.endpoints(uris)
			.connectTimeout(requestTimeout)
			// Few, quick retries inside jetcd: the engine retries whole operations, each bounded by the timeout.
			.retryMaxDuration(requestTimeout)
			.build();
		try {
			return new EtcdLockProvider(client, keyPrefix, sessionTtl, requestTimeout, endpoints, true);
		}
		catch (RuntimeException ex) {
			client.close();
			throw ex;
		}
	}

	@Override
	public String id() {
		return "etcd";
	}

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		String action = "acquire lock '" + request.lockId() + "'";
		this.orphans.sweep();
		ByteSequence key = this.keys.of(request.lockId());
		ByteSequence owner = ByteSequence.from(request.owner(), StandardCharsets.UTF_8);
		for (int attempt = 1;; attempt++) {
			long lease = this.session.current();
			TxnResponse response;
			try {
				response = this.calls.await(action, this.kv.txn()
					.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
					.Then(Op.put(key, owner, PutOption.builder().withLeaseId(lease).build()),
							Op.get(key, GetOption.DEFAULT))
					.Else(Op.get(key, GetOption.DEFAULT))
					.commit());
			}
			catch (LockBackendException ex) {
				if (EtcdCalls.isLeaseNotFound(ex) && attempt == 1) {
					// etcd ended the session lease (expiry, revocation): every earlier lock is lost; grant a new one.
					this.session.ended(lease);
					continue;
				}
				this.orphans.add(key, owner);
				throw ex;
			}
			List<KeyValue> found = response.getGetResponses().get(0).getKvs();
			if (found.isEmpty()) {
				return Optional.empty(); // cannot be, within one transaction; busy is the safe answer
			}
			KeyValue holder = found.get(0);
			if (!response.isSucceeded() && !holder.getValue().equals(owner)) {
				logger.debug("Lock '{}' is busy", request.lockId());
				return Optional.empty();
			}
			this.grants.put(key, new Grant(request.owner(), holder.getCreateRevision()));
			logger.debug("Acquired lock '{}' for {} with fencing token {}", request.lockId(), request.owner(),
					holder.getCreateRevision());
			return Optional.of(new Lease(request.lockId(), request.owner(), holder.getCreateRevision(),
					request.leaseTime()));
		}
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		// Session-scoped: the keep-alive of the session lease is the renewal.
		return extendAll(List.of(lease)).contains(lease);
	}

	/** One keep-alive of the session lease and one read of its keys, for any number of leases. */
	@Override
	public Set<Lease> extendAll(Collection<Lease> leases) {
		Set<Lease> held = new LinkedHashSet<>();
		if (leases.isEmpty()) {
			return held;
		}
		long lease = this.session.granted();
		if (lease == 0) {
			logger.debug("etcd session lease ended: {} lease(s) are lost", leases.size());
			return held;
		}
		Optional<Set<ByteSequence>> attached = this.session.renewAndReadKeys(lease);
		if (attached.isEmpty()) {
			return held;
		}
		for (Lease candidate : leases) {
			ByteSequence key = this.keys.of(candidate.lockId());
			Grant grant = this.grants.get(key);
			if (grant != null && grant.isOf(candidate)) {
				if (attached.get().contains(key)) {
					held.add(candidate);
				}
				else {
					this.grants.remove(key, grant); // force-released, or deleted behind our back
				}
			}
		}
		return held;
	}

	@Override
	public void release(Lease lease) {
		ByteSequence key = this.keys.of(lease.lockId());
		ByteSequence owner = ByteSequence.from(lease.owner(), StandardCharsets.UTF_8);
		this.grants.remove(key, new Grant(lease.owner(), lease.fencingToken()));
		try {
			TxnResponse response = this.calls.await("release lock '" + lease.lockId() + "'", this.kv.txn()
				.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(lease.fencingToken())),
						new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(owner)))
				.Then(Op.delete(key, io.etcd.jetcd.options.DeleteOption.DEFAULT))
				.commit());
			logger.debug(response.isSucceeded() ? "Released lock '{}' (fencing token {})"
					: "Lock '{}' (fencing token {}) was no longer held; nothing to release", lease.lockId(),
					lease.fencingToken());
		}
		catch (LockBackendException ex) {
			this.orphans.add(key, owner);
			throw new LockBackendException(ex.getMessage() + "; the key is deleted on a later call, or goes with the "
					+ "session lease", ex);
		}
	}

	/** Session-scoped leases renewed in O(1), a shared watch for waiters, listing and force release. */
	@Override
	public Set<ProviderCapability> capabilities() {
		return CAPABILITIES;
	}

	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		return this.watch.subscribe(this.keys.of(lockId), listener);
	}

	@Override
	public List<BackendLock> listLocks() {
		GetResponse response = this.calls.await("list locks under " + this.keys.prefix(),
				this.kv.get(this.keys.prefix(), GetOption.builder().isPrefix(true).build()));
		List<BackendLock> locks = new ArrayList<>();
		for (KeyValue kv : response.getKvs()) {
			// Keys under the prefix that this mapping did not make belong to someone else: skipped.
			this.keys.lockIdOf(kv.getKey()).ifPresent((lockId) -> locks.add(toBackendLock(lockId, kv)));
		}
		locks.sort(Comparator.comparing(BackendLock::lockId));
		return locks;
	}

	@Override
	public Optional<BackendLock> inspect(String lockId) {
		GetResponse response = this.calls.await("inspect lock '" + lockId + "'", this.kv.get(this.keys.of(lockId)));
		return response.getKvs().stream().findFirst().map((kv) -> toBackendLock(lockId, kv));
	}

	@Override
	public boolean forceRelease(String lockId) {
		// Whoever holds it; the next grant gets a new, higher create revision.
		return this.calls.await("force-release lock '" + lockId + "'", this.kv.delete(this.keys.of(lockId)))
			.getDeleted() > 0;
	}

	/** A linearizable count-only read of one key: it needs a quorum, and is bounded by the request timeout. */
	@Override
	public void checkHealth() {
		this.calls.await("check the etcd cluster",
				this.kv.get(this.keys.prefix(), GetOption.builder().withCountOnly(true).build()));
	}

	/** Whether the last background renewal of the session lease failed: this instance's locks are at risk. */
	public boolean leasesAtRisk() {
		return this.session.atRisk();
	}

	/** The id of the current session lease, 0 if there is none (for tests that revoke it behind the provider's back). */
	long sessionLeaseId() {
		return this.session.granted();
	}

	/** How many watches this provider keeps open on etcd for its waiters: at most one. */
	int openWatches() {
		return this.watch.openWatches();
	}

	/** The prefix of all lock keys. */
	public String keyPrefix() {
		return this.keys.prefix().toString(StandardCharsets.UTF_8);
	}

	/**
	 * Stops watching and renewing, revokes the session lease (freeing this instance's locks at once),
	 * and closes the jetcd client only if this provider built it.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.watch.close();
		this.session.close();
		if (this.ownsClient) {
			this.client.close();
		}
	}

	private static BackendLock toBackendLock(String lockId, KeyValue kv) {
		return new BackendLock(lockId, kv.getValue().toString(StandardCharsets.UTF_8), kv.getCreateRevision(), null);
	}

	/** A grant this instance made: its owner and fencing token. */
	private record Grant(String owner, long fencingToken) {

		boolean isOf(Lease lease) {
			return this.owner.equals(lease.owner()) && this.fencingToken == lease.fencingToken();
		}

	}

}
