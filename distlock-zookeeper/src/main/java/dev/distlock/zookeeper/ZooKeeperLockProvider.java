package dev.distlock.zookeeper;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
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
 *
 * <p>This class keeps the grant and release paths, whose retry and orphan rules belong together;
 * connection handling ({@link EnsembleConnection}), renewal ({@link SessionLeaseConfirmation}) and the
 * operator's view ({@link OperatorLockNodes}) live beside it. It is still near 400 lines because a
 * quarter of it is this contract of what a holder may assume in each connection state.
 */
public final class ZooKeeperLockProvider implements LockProvider {

	/** The parent node of all lock nodes unless configured otherwise. */
	public static final String DEFAULT_BASE_PATH = "/distlock";

	/** How long an operation waits for a connection before it fails closed, unless configured otherwise. */
	public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

	/** Session timeout of clients built by {@link #connect(String)}: how long a crashed holder blocks its locks. */
	public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(ZooKeeperLockProvider.class);

	private static final Set<ProviderCapability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
			ProviderCapability.RELEASE_NOTIFICATIONS, ProviderCapability.SESSION_SCOPED_LEASES,
			ProviderCapability.BATCH_EXTEND, ProviderCapability.LISTING, ProviderCapability.FORCE_RELEASE));

	private final CuratorFramework client;

	private final boolean ownsClient;

	private final LockNodeParent parent;

	private final EnsembleConnection connection;

	private final LockNodeReader nodes;

	private final OperatorLockNodes operatorNodes;

	private final SessionLeaseConfirmation confirmation;

	private final OrphanedNodes orphans;

	private final ConnectionStateMonitor monitor;

	private final Set<ReleaseWatch> watches = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean closed = new AtomicBoolean();

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
		this.parent = new LockNodeParent(client, basePath);
		this.connection = new EnsembleConnection(client, connectionTimeout, this.closed::get);
		this.client = client;
		this.ownsClient = ownsClient;
		this.nodes = new LockNodeReader(client);
		this.operatorNodes = new OperatorLockNodes(this.connection, this.parent, this.nodes);
		this.orphans = new OrphanedNodes(this.nodes);
		this.monitor = new ConnectionStateMonitor(this.connection.ensemble(), client.getZookeeperClient().isConnected(),
				this::connected);
		this.confirmation = new SessionLeaseConfirmation(client, this.connection, this.monitor, this.parent, this.nodes);
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
		this.connection.awaitConnection(action);
		this.orphans.sweep();
		for (int attempt = 1;; attempt++) {
			this.parent.ensureCreated(action, this.connection);
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
				this.parent.mayBeGone();
			}
			catch (Exception ex) {
				if (EnsembleConnection.outcomeUnknown(ex)) {
					this.orphans.add(path, data);
				}
				throw this.connection.failure(action, ex);
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
		return this.confirmation.confirm(leases);
	}

	@Override
	public void release(Lease lease) {
		String path = nodePath(lease.lockId());
		String action = "release lock '" + lease.lockId() + "'";
		try {
			this.connection.awaitConnection(action);
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
			if (EnsembleConnection.outcomeUnknown(ex)) {
				this.orphans.add(path, new LockNodeData(lease.owner(), lease.lockId()));
			}
			throw this.connection.failure(action, ex);
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
		return this.operatorNodes.list();
	}

	@Override
	public Optional<BackendLock> inspect(String lockId) {
		return this.operatorNodes.inspect(lockId);
	}

	@Override
	public boolean forceRelease(String lockId) {
		return this.operatorNodes.forceRelease(lockId);
	}

	@Override
	public void checkHealth() {
		String action = "check the ZooKeeper connection";
		this.connection.awaitConnection(action);
		try {
			this.nodes.zooKeeper().exists(this.nodes.serverPath(this.parent.path()), false);
		}
		catch (Exception ex) {
			throw this.connection.failure(action, ex);
		}
	}

	/** Whether the client is connected to the ensemble right now. */
	public boolean isConnected() {
		return this.connection.isConnected();
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
		return this.parent.path();
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
		return this.parent.childFor(lockId);
	}

}
