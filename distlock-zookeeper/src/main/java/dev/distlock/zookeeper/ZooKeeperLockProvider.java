package dev.distlock.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.PathUtils;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
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
 * The {@code zookeeper} provider: a lock is an ephemeral node under a base path (default
 * {@value #DEFAULT_BASE_PATH}), held by the ZooKeeper session of the instance that created it, on
 * Apache Curator. A lock survives the loss of any minority of the ensemble's servers and vanishes with
 * its holder's session.
 *
 * <ul>
 * <li><b>Acquire</b> is one {@code create} of an ephemeral node named after the lock id
 * ({@link LockNodeName}) whose data is the grant's owner token and the lock id; "node exists" means
 * busy. Curator's {@code idempotent()} create tells our own create, retried by Curator after a lost
 * connection, from another holder's node (which costs a {@code getData} when the lock is busy).</li>
 * <li><b>Fencing token</b>: the node's creation zxid. ZooKeeper orders and persists zxids, so they
 * strictly increase per lock across releases, session expiries, force-releases and server restarts.</li>
 * <li><b>Extend</b> changes nothing in ZooKeeper (the session keeps the node); it confirms that the
 * node is still the one created for the lease (zxid and owner) and still held by this client's
 * current session: {@link #extendAll} confirms any number of leases in one round trip.</li>
 * <li><b>Waiters</b> wake through a watch on the lock node ({@link #onRelease}), not by polling.</li>
 * <li><b>Listing</b> reads the children of the base path and their data in one round trip.</li>
 * </ul>
 *
 * <p>Why not Curator's {@code InterProcessMutex}: it blocks, and a lock belongs to the thread that
 * took it, while the SPI needs one non-blocking attempt that returns a lease any thread may release;
 * the engine already does the waiting and the in-JVM queueing that the recipe would add. The recipe's
 * sequential nodes also give no single node per lock id to list, inspect or force-release.
 *
 * <h2>What a holder may assume in each connection state</h2>
 * <dl>
 * <dt>{@code CONNECTED}</dt>
 * <dd>The session is alive: every lock node it created is held. Renewals confirm it.</dd>
 * <dt>{@code SUSPENDED}</dt>
 * <dd>The connection to the ensemble is gone (a server died, a partition, or the ensemble lost its
 * quorum). The session may survive, but the servers expire it {@code sessionTimeout} after they last
 * heard from this client, which can be before this client notices. A holder must treat its locks as
 * <em>at risk</em>: writes guarded by the fencing token stay safe, unguarded side effects do not.
 * Renewals throw {@link LockBackendException} (the lock is neither confirmed nor known lost), so the
 * engine keeps retrying and declares the lease lost once its lease time passes unconfirmed.
 * Acquisitions fail closed within the connection timeout.</dd>
 * <dt>{@code RECONNECTED}</dt>
 * <dd>The same session is back within its timeout: the locks were held throughout and the next
 * renewal confirms them. After a session expiry Curator reports {@code LOST} first, and a
 * {@code RECONNECTED} that follows is a new session that holds none of the earlier locks.</dd>
 * <dt>{@code LOST}</dt>
 * <dd>The session expired, or the connection stayed suspended longer than the session timeout:
 * every lock of this instance is gone (another instance may hold it already). Renewals report every
 * lease lost.</dd>
 * </dl>
 * {@link #isConnected()} and {@link #leasesAtRisk()} report the state to health checks; transitions
 * that put leases at risk are logged at WARN.
 *
 * <p>A provider built on a caller's {@link CuratorFramework} never closes it; one built by
 * {@link #connect} owns its client and closes it (ending its session, which frees its locks at once).
 */
public final class ZooKeeperLockProvider implements LockProvider {

	/** The parent node of all lock nodes unless configured otherwise. */
	public static final String DEFAULT_BASE_PATH = "/distlock";

	/** How long an operation waits for a connection before it fails closed, unless configured otherwise. */
	public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

	/** Session timeout of clients built by {@link #connect(String)}: how long a crashed holder blocks its locks. */
	public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(ZooKeeperLockProvider.class);

	private static final byte[] NO_DATA = new byte[0];

	private static final Set<ProviderCapability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
			ProviderCapability.RELEASE_NOTIFICATIONS, ProviderCapability.SESSION_SCOPED_LEASES,
			ProviderCapability.BATCH_EXTEND, ProviderCapability.LISTING, ProviderCapability.FORCE_RELEASE));

	private final CuratorFramework client;

	private final boolean ownsClient;

	private final String basePath;

	private final Duration connectionTimeout;

	private final String ensemble;

	private final LockNodeReader nodes;

	private final OrphanedNodes orphans;

	private final ConnectionStateMonitor monitor;

	private final Set<ReleaseWatch> watches = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile boolean basePathCreated;

	/**
	 * A provider on the caller's client, with lock nodes under {@value #DEFAULT_BASE_PATH} and a
	 * connection timeout of 5s. The client is not closed by {@link #close()}.
	 * @param client a Curator client; the caller starts and closes it
	 */
	public ZooKeeperLockProvider(CuratorFramework client) {
		this(client, DEFAULT_BASE_PATH, DEFAULT_CONNECTION_TIMEOUT);
	}

	/**
	 * A provider on the caller's client. The client is not closed by {@link #close()}.
	 * @param client a Curator client; the caller starts and closes it. Its namespace, ACL provider and
	 * retry policy apply to lock nodes too.
	 * @param basePath the parent node of all lock nodes, e.g. {@value #DEFAULT_BASE_PATH}; created (with
	 * its parents) on first use
	 * @param connectionTimeout how long an operation waits for a connection to the ensemble before it
	 * fails with {@link LockBackendException}
	 */
	public ZooKeeperLockProvider(CuratorFramework client, String basePath, Duration connectionTimeout) {
		this(client, basePath, connectionTimeout, false);
	}

	private ZooKeeperLockProvider(CuratorFramework client, String basePath, Duration connectionTimeout,
			boolean ownsClient) {
		PathUtils.validatePath(basePath);
		if (basePath.equals("/")) {
			throw new IllegalArgumentException("The ZooKeeper base path for locks must not be the root node");
		}
		if (connectionTimeout.isZero() || connectionTimeout.isNegative()) {
			throw new IllegalArgumentException("The ZooKeeper connection timeout must be positive, was " + connectionTimeout);
		}
		this.client = client;
		this.ownsClient = ownsClient;
		this.basePath = basePath;
		this.connectionTimeout = connectionTimeout;
		String connectString = client.getZookeeperClient().getCurrentConnectionString();
		this.ensemble = (connectString != null) ? connectString : "ZooKeeper";
		this.nodes = new LockNodeReader(client);
		this.orphans = new OrphanedNodes(this.nodes);
		this.monitor = new ConnectionStateMonitor(this.ensemble, client.getZookeeperClient().isConnected(),
				this::connected);
		client.getConnectionStateListenable().addListener(this.monitor);
	}

	/**
	 * A provider with its own Curator client (started here, closed by {@link #close()}), with lock nodes
	 * under {@value #DEFAULT_BASE_PATH}, a 30s session timeout and a 5s connection timeout.
	 * @param connectString the ensemble, e.g. {@code zk1:2181,zk2:2181,zk3:2181}
	 */
	public static ZooKeeperLockProvider connect(String connectString) {
		return connect(connectString, DEFAULT_SESSION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT, DEFAULT_BASE_PATH);
	}

	/**
	 * A provider with its own Curator client, started here (without waiting for a connection: an
	 * application may start while ZooKeeper is down) and closed by {@link #close()}.
	 * @param connectString the ensemble, e.g. {@code zk1:2181,zk2:2181,zk3:2181}
	 * @param sessionTimeout how long the ensemble keeps a silent holder's session, and so its locks
	 * (servers clamp it to between 2 and 20 ticks); default 30s
	 * @param connectionTimeout how long an operation waits for a connection before it fails closed;
	 * default 5s
	 * @param basePath the parent node of all lock nodes; default {@value #DEFAULT_BASE_PATH}
	 */
	public static ZooKeeperLockProvider connect(String connectString, Duration sessionTimeout,
			Duration connectionTimeout, String basePath) {
		CuratorFramework client = CuratorFrameworkFactory.builder()
			.connectString(connectString)
			.sessionTimeoutMs(Math.toIntExact(sessionTimeout.toMillis()))
			.connectionTimeoutMs(Math.toIntExact(connectionTimeout.toMillis()))
			// Few, quick retries: the engine retries whole operations, and each retry may wait a
			// connection timeout for the connection to come back.
			.retryPolicy(new RetryNTimes(2, 100))
			.build();
		client.start();
		try {
			return new ZooKeeperLockProvider(client, basePath, connectionTimeout, true);
		}
		catch (RuntimeException ex) {
			client.close();
			throw ex;
		}
	}

	@Override
	public String id() {
		return "zookeeper";
	}

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		String path = nodePath(request.lockId());
		LockNodeData data = new LockNodeData(request.owner(), request.lockId());
		String action = "acquire lock '" + request.lockId() + "'";
		awaitConnection(action);
		this.orphans.sweep();
		for (int attempt = 1;; attempt++) {
			ensureBasePath(action);
			Stat stat = new Stat();
			try {
				this.client.create()
					.idempotent()
					.uncompressed()
					.storingStatIn(stat)
					.withMode(CreateMode.EPHEMERAL)
					.forPath(path, data.toBytes());
				logger.debug("Acquired lock '{}' for {} with fencing token {}", request.lockId(), request.owner(),
						stat.getCzxid());
				return Optional.of(new Lease(request.lockId(), request.owner(), stat.getCzxid(), request.leaseTime()));
			}
			catch (KeeperException.NodeExistsException ex) {
				logger.debug("Lock '{}' is busy", request.lockId());
				return Optional.empty();
			}
			catch (KeeperException.NoNodeException ex) {
				if (attempt > 1) {
					// The holder's node vanished between our create and Curator's idempotency check, twice:
					// a lock changing hands this fast is busy.
					logger.debug("Lock '{}' is busy (changing hands)", request.lockId());
					return Optional.empty();
				}
				// No base path (someone deleted it), or the holder released between our create and
				// Curator's idempotency check: try once more, making sure the base path exists.
				this.basePathCreated = false;
			}
			catch (Exception ex) {
				if (outcomeUnknown(ex)) {
					this.orphans.add(path, data);
				}
				throw failure(action, ex);
			}
		}
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		// Session-scoped: nothing to push forward in ZooKeeper; confirming the node is the renewal.
		return extendAll(List.of(lease)).contains(lease);
	}

	@Override
	public Set<Lease> extendAll(Collection<Lease> leases) {
		Set<Lease> held = new LinkedHashSet<>();
		if (leases.isEmpty()) {
			return held;
		}
		ConnectionState state = this.monitor.state();
		if (state == ConnectionState.LOST) {
			logger.debug("ZooKeeper session lost: {} lease(s) are lost", leases.size());
			return held;
		}
		String action = "confirm " + leases.size() + " lease(s)";
		requireStarted(action);
		if (state == ConnectionState.SUSPENDED || state == ConnectionState.READ_ONLY
				|| !this.client.getZookeeperClient().isConnected()) {
			throw new LockBackendException("Cannot " + action + ": the connection to ZooKeeper at " + this.ensemble
					+ " is suspended; the locks may or may not still be held");
		}
		List<Lease> toConfirm = List.copyOf(leases);
		try {
			ZooKeeper zooKeeper = this.nodes.zooKeeper();
			long session = zooKeeper.getSessionId();
			List<@Nullable LockNode> found = this.nodes.read(zooKeeper,
					toConfirm.stream().map((lease) -> nodePath(lease.lockId())).toList());
			for (int i = 0; i < toConfirm.size(); i++) {
				Lease lease = toConfirm.get(i);
				LockNode node = found.get(i);
				if (node != null && node.isGrantOf(lease) && node.ephemeralOwner() == session) {
					held.add(lease);
				}
			}
			return held;
		}
		catch (Exception ex) {
			throw failure(action, ex);
		}
	}

	@Override
	public void release(Lease lease) {
		String path = nodePath(lease.lockId());
		String action = "release lock '" + lease.lockId() + "'";
		try {
			awaitConnection(action);
		}
		catch (LockBackendException ex) {
			// The node goes once we reconnect, or with the session.
			this.orphans.add(path, new LockNodeData(lease.owner(), lease.lockId()));
			throw new LockBackendException(ex.getMessage() + "; the lock node is deleted once the connection is back, "
					+ "or goes with the session", ex);
		}
		try {
			ZooKeeper zooKeeper = this.nodes.zooKeeper();
			LockNode node = this.nodes.read(zooKeeper, List.of(path)).get(0);
			if (node == null || !node.isGrantOf(lease)) {
				logger.debug("Lock '{}' is no longer held by {}; nothing to release", lease.lockId(), lease.owner());
				return;
			}
			// ZooKeeper cannot delete on condition of the creation zxid; the version check still lets only
			// a force-release or a session expiry, followed by a new create, slip in between read and delete.
			zooKeeper.delete(this.nodes.serverPath(path), node.version());
			logger.debug("Released lock '{}' (fencing token {})", lease.lockId(), lease.fencingToken());
		}
		catch (KeeperException.NoNodeException | KeeperException.BadVersionException ex) {
			logger.debug("Lock '{}' went before it was released", lease.lockId());
		}
		catch (Exception ex) {
			if (outcomeUnknown(ex)) {
				this.orphans.add(path, new LockNodeData(lease.owner(), lease.lockId()));
			}
			throw failure(action, ex);
		}
	}

	/**
	 * Session-scoped leases confirmed in one round trip, a watch per waiter, and listing and
	 * force-release for operators.
	 */
	@Override
	public Set<ProviderCapability> capabilities() {
		return CAPABILITIES;
	}

	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		ReleaseWatch watch = new ReleaseWatch(this.client, lockId, nodePath(lockId), listener, this.watches::remove);
		this.watches.add(watch);
		watch.arm();
		return watch;
	}

	@Override
	public List<BackendLock> listLocks() {
		String action = "list locks under " + this.basePath;
		awaitConnection(action);
		try {
			ZooKeeper zooKeeper = this.nodes.zooKeeper();
			List<String> children;
			try {
				children = zooKeeper.getChildren(this.nodes.serverPath(this.basePath), false);
			}
			catch (KeeperException.NoNodeException ex) {
				return List.of();
			}
			List<@Nullable LockNode> found = this.nodes.read(zooKeeper,
					children.stream().map((child) -> ZKPaths.makePath(this.basePath, child)).toList());
			List<BackendLock> locks = new ArrayList<>();
			for (int i = 0; i < children.size(); i++) {
				LockNode node = found.get(i);
				// Skip nodes that are not lock nodes (another application's, or a foreign tool's).
				if (node != null && LockNodeName.of(node.data().lockId()).equals(children.get(i))) {
					locks.add(node.toBackendLock());
				}
			}
			locks.sort(Comparator.comparing(BackendLock::lockId));
			return locks;
		}
		catch (Exception ex) {
			throw failure(action, ex);
		}
	}

	@Override
	public Optional<BackendLock> inspect(String lockId) {
		String action = "inspect lock '" + lockId + "'";
		awaitConnection(action);
		try {
			LockNode node = this.nodes.read(this.nodes.zooKeeper(), List.of(nodePath(lockId))).get(0);
			return Optional.ofNullable(node)
				.filter((found) -> found.data().lockId().equals(lockId))
				.map(LockNode::toBackendLock);
		}
		catch (Exception ex) {
			throw failure(action, ex);
		}
	}

	@Override
	public boolean forceRelease(String lockId) {
		String action = "force-release lock '" + lockId + "'";
		awaitConnection(action);
		try {
			// Any version: whoever holds it. The next create gets a new, higher zxid.
			this.nodes.zooKeeper().delete(this.nodes.serverPath(nodePath(lockId)), -1);
			return true;
		}
		catch (KeeperException.NoNodeException ex) {
			return false;
		}
		catch (Exception ex) {
			throw failure(action, ex);
		}
	}

	@Override
	public void checkHealth() {
		String action = "check the ZooKeeper connection";
		awaitConnection(action);
		try {
			this.nodes.zooKeeper().exists(this.nodes.serverPath(this.basePath), false);
		}
		catch (Exception ex) {
			throw failure(action, ex);
		}
	}

	/** Whether the client is connected to the ensemble right now. */
	public boolean isConnected() {
		return this.client.getState() == CuratorFrameworkState.STARTED && this.client.getZookeeperClient().isConnected();
	}

	/**
	 * Whether the locks this instance holds are at risk: the connection is suspended (they may expire
	 * unnoticed) or the session is lost (they are gone), or the client never connected.
	 */
	public boolean leasesAtRisk() {
		return this.monitor.leasesAtRisk() || !isConnected();
	}

	/** The parent node of all lock nodes. */
	public String basePath() {
		return this.basePath;
	}

	/**
	 * Stops watching and listening; closes the Curator client only if this provider built it (which ends
	 * its session and so frees its locks at once).
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.client.getConnectionStateListenable().removeListener(this.monitor);
		List.copyOf(this.watches).forEach(ReleaseWatch::close);
		if (this.orphans.size() > 0) {
			logger.debug("{} left-behind lock node(s) go with this instance's ZooKeeper session", this.orphans.size());
		}
		if (this.ownsClient) {
			this.client.close();
		}
	}

	/** Runs on Curator's connection-state thread: must not block. */
	private void connected() {
		this.orphans.sweep();
		this.watches.forEach(ReleaseWatch::reconnected);
	}

	private String nodePath(String lockId) {
		return ZKPaths.makePath(this.basePath, LockNodeName.of(lockId));
	}

	/** Creates the base path (and its parents, as containers) once; lock nodes are its direct children. */
	private void ensureBasePath(String action) {
		if (this.basePathCreated) {
			return;
		}
		try {
			this.client.create().creatingParentContainersIfNeeded().forPath(this.basePath, NO_DATA);
		}
		catch (KeeperException.NodeExistsException ex) {
			// Created by another instance, or earlier by this one.
		}
		catch (Exception ex) {
			throw failure(action + " (creating " + this.basePath + ")", ex);
		}
		this.basePathCreated = true;
	}

	private void requireStarted(String action) {
		CuratorFrameworkState state = this.client.getState();
		if (state != CuratorFrameworkState.STARTED) {
			throw new LockBackendException("Cannot " + action + ": the Curator client for " + this.ensemble + " is "
					+ state.name().toLowerCase() + (this.closed.get() ? " (the lock provider is closed)" : ""));
		}
	}

	/** Fails closed if the ensemble is not reachable within the connection timeout. */
	private void awaitConnection(String action) {
		requireStarted(action);
		if (this.client.getZookeeperClient().isConnected()) {
			return;
		}
		boolean connected;
		try {
			connected = this.client.blockUntilConnected(Math.toIntExact(this.connectionTimeout.toMillis()),
					TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LockBackendException("Interrupted while waiting for ZooKeeper at " + this.ensemble + " to "
					+ action, ex);
		}
		if (!connected) {
			throw new LockBackendException("Cannot " + action + ": no connection to ZooKeeper at " + this.ensemble
					+ " within " + this.connectionTimeout + " (servers down, or no quorum)");
		}
	}

	/** Whether a write may or may not have been applied: the connection failed before the answer came. */
	private static boolean outcomeUnknown(Exception ex) {
		if (ex instanceof KeeperException keeper) {
			KeeperException.Code code = keeper.code();
			return code == KeeperException.Code.CONNECTIONLOSS || code == KeeperException.Code.OPERATIONTIMEOUT
					|| code == KeeperException.Code.SESSIONMOVED || code == KeeperException.Code.REQUESTTIMEOUT;
		}
		return true;
	}

	private LockBackendException failure(String action, Exception ex) {
		if (ex instanceof LockBackendException backend) {
			return backend;
		}
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
		}
		String reason = (ex instanceof KeeperException keeper) ? keeper.code().name() : ex.toString();
		return new LockBackendException("Could not " + action + " on ZooKeeper at " + this.ensemble + ": " + reason, ex);
	}

}
