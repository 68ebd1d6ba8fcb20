package dev.distlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.distlock.LockBackendException;
import dev.distlock.redis.ReplicaWait.Acknowledged;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

/**
 * Locks in Redis (standalone or Redis Cluster) through Spring Data Redis; every operation on a lock
 * is one Lua script call, so one round trip.
 *
 * <ul>
 * <li><b>Acquire</b> ({@code acquire.lua}): if the lock key is absent, store owner and fencing
 * token in it (a hash) with a millisecond TTL, by the server's clock.</li>
 * <li><b>Fencing tokens</b> are generated in the same script:
 * {@code max(last token + 1, server TIME in microseconds)}, where the last token lives in a
 * per-lock counter key that outlives each lease by {@linkplain #COUNTER_RETENTION an hour}. While
 * the counter exists, tokens strictly increase whatever the clock does. Once it is gone (Redis
 * restarted without persistence, the key deleted, or the lock unused for an hour) the time floor
 * still makes the next token larger than every earlier one, <em>assuming the Redis server's clock
 * has not been set back</em> by more than the time since that earlier grant (NTP slews, it does
 * not step back by hours). With RDB/AOF persistence the counter survives restarts as well. After
 * a cluster failover the same holds if the masters' clocks agree to within the failover time.</li>
 * <li><b>Extend</b> compares the grant (owner and token) and sets a new TTL; <b>release</b>
 * compares the grant, deletes and publishes the lock key on {@code <prefix>released}; releasing a
 * lost lease changes nothing. Comparing the token too means that even two instances configured
 * with the same instance id (hence equal owner tokens) cannot renew or release each other's
 * grants.</li>
 * <li><b>Batch extend</b> ({@link #extendAll}) renews every lease in one script call on a single
 * node; on a cluster, one call per hash slot, the least Redis allows.</li>
 * <li><b>Waiters</b> are woken by one shared pub/sub subscription per provider.</li>
 * <li><b>Keys</b> of one lock share a hash tag, so the provider works on Redis Cluster; any string
 * is a usable lock id (see {@link RedisLockKeys}).</li>
 * </ul>
 *
 * <p>The provider does not own the connection factory. Bound the client's command timeout
 * ({@code spring.data.redis.timeout}): with Lettuce's default of 60 s, a call made while Redis is
 * unreachable waits that long before it fails.
 *
 * <p>Over our usual size (about 400 lines): each SPI operation is one script call plus the
 * translation of its reply, and waiting for replicas adds an undo path to the grant and the renewal;
 * the scripts ({@code *.lua}), keys ({@link RedisLockKeys}), {@link ReplicaWait} and wake-ups live
 * beside it.
 */
public final class RedisLockProvider implements LockProvider {

	/** The default for {@code distlock.redis.key-prefix}. */
	public static final String DEFAULT_KEY_PREFIX = "distlock:";

	/**
	 * How long a lock's fencing counter outlives each lease. Beyond it, tokens rely on the server
	 * clock alone; the retention bounds the keys left behind by locks on ever-new ids.
	 */
	public static final Duration COUNTER_RETENTION = Duration.ofHours(1);

	/** Keys per batch-extend script call: bounds how long one call keeps Redis busy. */
	static final int MAX_KEYS_PER_CALL = 5000;

	private static final Logger logger = LoggerFactory.getLogger(RedisLockProvider.class);

	private static final Set<ProviderCapability> CAPABILITIES = Collections.unmodifiableSet(
			EnumSet.of(ProviderCapability.RELEASE_NOTIFICATIONS, ProviderCapability.BATCH_EXTEND,
					ProviderCapability.LISTING, ProviderCapability.FORCE_RELEASE));

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate template;

	private final RedisLockKeys keys;

	private final ReleaseNotifications notifications;

	private final RedisLockListing listing;

	private final String counterRetentionMillis = String.valueOf(COUNTER_RETENTION.toMillis());

	private final ReplicaWait replicaWait;

	private volatile @Nullable Boolean cluster;

	/**
	 * A provider with keys under {@value #DEFAULT_KEY_PREFIX}.
	 * @param connectionFactory the application's Redis connection factory (standalone or cluster)
	 */
	public RedisLockProvider(RedisConnectionFactory connectionFactory) {
		this(connectionFactory, DEFAULT_KEY_PREFIX);
	}

	/**
	 * A provider with keys under the given prefix.
	 * @param connectionFactory the application's Redis connection factory (standalone or cluster)
	 * @param keyPrefix {@code distlock.redis.key-prefix}: namespaces every key and the release
	 * channel; must not contain curly braces (the provider adds its own hash tag)
	 */
	public RedisLockProvider(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this(connectionFactory, keyPrefix, ReplicaAcknowledgement.NONE);
	}

	/**
	 * A provider whose grants and renewals count only once replicas acknowledged them.
	 * @param connectionFactory the application's Redis connection factory (standalone or Sentinel;
	 * on Redis Cluster only without replica acknowledgement)
	 * @param keyPrefix {@code distlock.redis.key-prefix}
	 * @param replicaAcknowledgement {@code distlock.redis.wait-for-replicas} and
	 * {@code distlock.redis.wait-timeout}: a grant not acknowledged in time is released again and
	 * the call fails with a {@link LockBackendException}; a renewal not acknowledged fails the same
	 * way, so the engine keeps the expiry of the last acknowledged one
	 */
	public RedisLockProvider(RedisConnectionFactory connectionFactory, String keyPrefix,
			ReplicaAcknowledgement replicaAcknowledgement) {
		this.connectionFactory = connectionFactory;
		this.template = new StringRedisTemplate(connectionFactory);
		// Our callbacks never close the connection, so skip the close-suppressing proxy the template
		// would otherwise build (reflectively) around it on every call.
		this.template.setExposeConnection(true);
		this.keys = new RedisLockKeys(keyPrefix);
		this.notifications = new ReleaseNotifications(connectionFactory, this.keys.releaseChannel());
		this.listing = new RedisLockListing(this.template, this.keys);
		this.replicaWait = new ReplicaWait(this.template, replicaAcknowledgement);
	}

	@Override
	public String id() {
		return "redis";
	}

	/** The prefix of every key and channel this provider uses. */
	public String keyPrefix() {
		return this.keys.prefix();
	}

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		String lockId = request.lockId();
		Acknowledged<Long> granted = call("acquire", lockId, () -> {
			checkReplicaWaitSupported();
			return this.replicaWait.write(() -> this.template.execute(RedisLockScripts.ACQUIRE,
					List.of(this.keys.lockKey(lockId), this.keys.counterKey(lockId)), request.owner(),
					millis(request.leaseTime()), this.counterRetentionMillis));
		});
		Long token = granted.value();
		if (token == null || token <= 0) {
			logger.debug("Redis lock '{}' is held by another owner", lockId);
			return Optional.empty();
		}
		if (!granted.enough()) {
			// A grant the replicas may not have could be lost in a failover and handed out again:
			// undo it and fail closed.
			undoGrant(new Lease(lockId, request.owner(), token, request.leaseTime()));
			throw notAcknowledged("grant", lockId, granted);
		}
		logger.debug("Redis lock '{}' granted to {} with fencing token {}", lockId, request.owner(), token);
		return Optional.of(new Lease(lockId, request.owner(), token, request.leaseTime()));
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		Acknowledged<Long> extended = call("extend", lease.lockId(), () -> this.replicaWait.write(
				() -> this.template.execute(RedisLockScripts.EXTEND, List.of(this.keys.lockKey(lease.lockId())),
						lease.owner(), String.valueOf(lease.fencingToken()), millis(leaseTime))));
		boolean held = extended.value() != null && extended.value() == 1;
		if (held && !extended.enough()) {
			// The replicas keep the previous expiry; failing the renewal makes the engine keep it too.
			throw notAcknowledged("renewal", lease.lockId(), extended);
		}
		logger.debug("Redis lease on '{}' for {} {}", lease.lockId(), lease.owner(), held ? "extended" : "is lost");
		return held;
	}

	/**
	 * Renews the leases in one script call per Redis Cluster hash slot (one call in all on a single
	 * node). If calls for some slots fail, the leases of the others are still reported; the failed
	 * ones count as lost, which is safe. If every call fails the error is thrown, so the watchdog
	 * retries.
	 */
	@Override
	public Set<Lease> extendAll(Collection<Lease> leases) {
		Set<Lease> held = new LinkedHashSet<>();
		if (leases.isEmpty()) {
			return held;
		}
		List<List<Lease>> batches;
		try {
			batches = batches(leases);
		}
		catch (RuntimeException ex) {
			throw backendError("batch extend", leases.size() + " leases", ex);
		}
		RuntimeException failure = null;
		boolean anyAnswered = false;
		for (List<Lease> batch : batches) {
			try {
				extendBatch(batch, held);
				anyAnswered = true;
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		if (failure != null) {
			if (!anyAnswered) {
				throw backendError("batch extend", leases.size() + " leases", failure);
			}
			logger.warn("Renewing some Redis leases failed; those count as lost: {}", failure.toString());
		}
		return held;
	}

	@SuppressWarnings("rawtypes")
	private void extendBatch(List<Lease> batch, Set<Lease> held) {
		List<String> lockKeys = new ArrayList<>(batch.size());
		Object[] args = new Object[batch.size() * 3];
		for (int i = 0; i < batch.size(); i++) {
			Lease lease = batch.get(i);
			lockKeys.add(this.keys.lockKey(lease.lockId()));
			args[3 * i] = lease.owner();
			args[3 * i + 1] = String.valueOf(lease.fencingToken());
			args[3 * i + 2] = millis(lease.leaseTime());
		}
		Acknowledged<List> answer = this.replicaWait
			.write(() -> this.template.execute(RedisLockScripts.EXTEND_ALL, lockKeys, args));
		if (!answer.enough()) {
			throw notAcknowledged("renewal", batch.size() + " leases", answer);
		}
		List<?> renewed = answer.value();
		for (int i = 0; i < batch.size(); i++) {
			if (renewed != null && i < renewed.size() && ((Number) renewed.get(i)).longValue() == 1) {
				held.add(batch.get(i));
			}
		}
		logger.debug("Renewed {} of {} Redis leases in one call", held.size(), batch.size());
	}

	/** Leases grouped so each group's keys share one hash slot on a cluster, split to bounded calls. */
	private List<List<Lease>> batches(Collection<Lease> leases) {
		Collection<List<Lease>> groups;
		if (isCluster()) {
			Map<Integer, List<Lease>> bySlot = new LinkedHashMap<>();
			for (Lease lease : leases) {
				bySlot.computeIfAbsent(this.keys.slot(lease.lockId()), (slot) -> new ArrayList<>()).add(lease);
			}
			groups = bySlot.values();
		}
		else {
			groups = List.of(new ArrayList<>(leases));
		}
		List<List<Lease>> batches = new ArrayList<>();
		for (List<Lease> group : groups) {
			for (int from = 0; from < group.size(); from += MAX_KEYS_PER_CALL) {
				batches.add(group.subList(from, Math.min(group.size(), from + MAX_KEYS_PER_CALL)));
			}
		}
		return batches;
	}

	/**
	 * Stamps this node's grant with a fencing token chosen across several nodes and raises the
	 * lock's counter to at least that token, so every later grant on this node gets a larger one.
	 * Redlock's write-back step; extend and release then compare against the stamped token.
	 * @param lease the grant this node handed out (its own token)
	 * @param token the token chosen, at least the node's own
	 * @return whether the grant still held the lock and was stamped
	 */
	public boolean stampToken(Lease lease, long token) {
		Long stamped = call("token write-back", lease.lockId(), () -> this.template.execute(RedisLockScripts.FENCE,
				List.of(this.keys.lockKey(lease.lockId()), this.keys.counterKey(lease.lockId())), lease.owner(),
				String.valueOf(lease.fencingToken()), String.valueOf(token), this.counterRetentionMillis));
		return stamped != null && stamped == 1;
	}

	@Override
	public void release(Lease lease) {
		Long released = call("release", lease.lockId(), () -> this.template.execute(RedisLockScripts.RELEASE,
				List.of(this.keys.lockKey(lease.lockId())), lease.owner(), String.valueOf(lease.fencingToken()),
				this.keys.releaseChannel()));
		if (released != null && released == 1) {
			logger.debug("Redis lock '{}' released by {}", lease.lockId(), lease.owner());
		}
		else {
			logger.debug("Redis lock '{}' was no longer held by {}; nothing released", lease.lockId(), lease.owner());
		}
	}

	@Override
	public Set<ProviderCapability> capabilities() {
		return CAPABILITIES;
	}

	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		return this.notifications.register(this.keys.lockKey(lockId), listener);
	}

	@Override
	public List<BackendLock> listLocks() {
		return call("list", "*", this.listing::listLocks);
	}

	@Override
	public Optional<BackendLock> inspect(String lockId) {
		return call("inspect", lockId, () -> this.listing.inspect(lockId));
	}

	@Override
	public boolean forceRelease(String lockId) {
		Long released = call("force release", lockId, () -> this.template.execute(RedisLockScripts.FORCE_RELEASE,
				List.of(this.keys.lockKey(lockId)), this.keys.releaseChannel()));
		return released != null && released == 1;
	}

	@Override
	public void checkHealth() {
		call("health check", "-", () -> this.template.execute((RedisCallback<String>) RedisConnection::ping));
	}

	/** Closes the release subscription; the connection factory belongs to the application. */
	@Override
	public void close() {
		this.notifications.close();
	}

	/** Whether the release subscription is open (for tests and diagnostics). */
	boolean isSubscribedToReleases() {
		return this.notifications.isSubscribed();
	}

	private boolean isCluster() {
		Boolean known = this.cluster;
		if (known == null) {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				known = connection instanceof RedisClusterConnection;
			}
			this.cluster = known;
		}
		return known;
	}

	private void undoGrant(Lease lease) {
		try {
			this.template.execute(RedisLockScripts.RELEASE, List.of(this.keys.lockKey(lease.lockId())), lease.owner(),
					String.valueOf(lease.fencingToken()), this.keys.releaseChannel());
		}
		catch (RuntimeException ex) {
			// The key still expires with its lease; the grant was never handed to the caller.
			logger.warn("Could not undo the unacknowledged Redis grant of '{}': {}", lease.lockId(), ex.toString());
		}
	}

	private LockBackendException notAcknowledged(String what, String subject, Acknowledged<?> answer) {
		ReplicaAcknowledgement required = this.replicaWait.acknowledgement();
		return new LockBackendException("Redis " + what + " of '" + subject + "' was acknowledged by "
				+ answer.replicas() + " of the " + required.replicas()
				+ " replicas required (distlock.redis.wait-for-replicas) within " + required.timeout()
				+ " (distlock.redis.wait-timeout)" + (what.equals("grant") ? "; the grant was undone" : ""));
	}

	/** WAIT answers for one node, and a cluster connection would send it to any node. */
	private void checkReplicaWaitSupported() {
		if (this.replicaWait.enabled() && isCluster()) {
			throw new LockBackendException("distlock.redis.wait-for-replicas is not supported on Redis Cluster: "
					+ "set it to 0 or use a standalone or Sentinel connection");
		}
	}

	private static <T> T call(String operation, String lockId, Supplier<T> action) {
		try {
			return action.get();
		}
		catch (LockBackendException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw backendError(operation, "lock '" + lockId + "'", ex);
		}
	}

	private static LockBackendException backendError(String operation, String subject, RuntimeException cause) {
		return new LockBackendException("Redis " + operation + " of " + subject + " failed: " + cause.getMessage(),
				cause);
	}

	/** Milliseconds for PEXPIRE, rounded up: a lease is never shorter than asked, and never 0 (delete). */
	private static String millis(Duration duration) {
		long millis = duration.toMillis();
		if (duration.getNano() % 1_000_000 > 0) {
			millis++;
		}
		return String.valueOf(Math.max(1, millis));
	}

}
