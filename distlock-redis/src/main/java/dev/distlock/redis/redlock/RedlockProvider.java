package dev.distlock.redis.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LockBackendException;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

/**
 * Redlock over N &ge; 3 independent Redis masters (no replication between them), each running the
 * {@code redis} provider's scripts, with fencing tokens.
 *
 * <ul>
 * <li><b>Acquire</b>: {@code acquire.lua} on every node at once. The grant counts only if a
 * majority ({@code N/2 + 1}) granted it and the validity window is still open: lease time minus the
 * time the round took minus a clock-drift allowance ({@link #DRIFT_FACTOR} of the lease + 2 ms).
 * Otherwise whatever was taken is released again and the call reports the lock busy, or fails with
 * a {@link LockBackendException} when fewer than a majority answered at all (fail closed).</li>
 * <li><b>Fencing token</b> (majority read + write-back): each granting node answers with its own
 * token, {@code max(its counter + 1, its TIME)}; the grant takes the largest and writes it back
 * ({@code fence.lua}: stamp the grant, raise the counter) on the granting nodes, and counts only if
 * a majority stamped it. Any two majorities share a node, so the node shared with the previous
 * grant's write-back majority has a counter at least that grant's token and answers a larger one:
 * tokens strictly increase as long as a majority of nodes keeps its data. A node restarted empty
 * only lowers the count of nodes that remember; its TIME floor still answers a token above anything
 * it granted before, if its clock did not go back.</li>
 * <li><b>Extend</b> and <b>release</b> run on every node; an extension holds only if a majority
 * renewed it within the lease time. Waiters are woken by pub/sub from any node.</li>
 * </ul>
 *
 * <h2>Safety argument, and what it needs</h2>
 * Mutual exclusion with Redlock rests on timing: it assumes bounded clock drift between the
 * nodes (a key must not expire on a node much earlier than the holder believes), and that the
 * holder acts on its lock before the validity window closes. A process pause (GC, SIGSTOP), a
 * network delay longer than the lease, or a node clock jumping forward breaks that: a second client
 * can then win a majority while the first still believes it holds the lock (Kleppmann's
 * critique). Fencing is what makes that violation harmless: the second grant's token is strictly
 * larger (by the intersection argument above, which needs no timing assumption, only that a
 * majority keeps its data), so a resource that remembers the largest token it accepted refuses the
 * paused holder's late writes. Without fencing, use Redlock for efficiency (avoid doing work twice),
 * not for correctness.
 */
public final class RedlockProvider implements LockProvider {

	/** The clock-drift allowance per unit of lease time, as in the Redlock description. */
	public static final double DRIFT_FACTOR = 0.01;

	/** The default bound of one call to one node. */
	public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(2);

	private static final Logger logger = LoggerFactory.getLogger(RedlockProvider.class);

	private final List<RedlockNode> nodes;

	private final int quorum;

	private final ParallelNodeCalls calls;

	/**
	 * A Redlock provider over independent masters.
	 * @param nodes at least 3 nodes, each its own Redis master with the same key prefix
	 * @param nodeTimeout how long one round waits for a node (bound also the nodes' client
	 * command timeout by it, so a dead node does not keep a thread busy for long)
	 */
	public RedlockProvider(List<RedlockNode> nodes, Duration nodeTimeout) {
		if (nodes.size() < 3) {
			throw new IllegalArgumentException(
					"distlock.redlock.nodes needs at least 3 independent Redis masters, not " + nodes.size());
		}
		this.nodes = List.copyOf(nodes);
		this.quorum = nodes.size() / 2 + 1;
		this.calls = new ParallelNodeCalls(nodes.size(), nodeTimeout);
	}

	@Override
	public String id() {
		return "redlock";
	}

	/** How many nodes a grant or renewal needs. */
	public int quorum() {
		return this.quorum;
	}

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		long start = System.nanoTime();
		List<NodeOutcome<Optional<Lease>>> grants = this.calls.call(this.nodes,
				(node) -> node.provider().tryAcquire(request), this::undoLateGrant);
		List<NodeOutcome<Lease>> granted = new ArrayList<>();
		int answered = 0;
		long token = 0;
		for (NodeOutcome<Optional<Lease>> outcome : grants) {
			if (outcome.answered()) {
				answered++;
				Optional<Lease> lease = outcome.value();
				if (lease != null && lease.isPresent()) {
					granted.add(new NodeOutcome<>(outcome.node(), lease.get(), null));
					token = Math.max(token, lease.get().fencingToken());
				}
			}
		}
		if (granted.size() < this.quorum) {
			undo(granted);
			if (answered < this.quorum) {
				throw noMajority("acquire of lock '" + request.lockId() + "'", answered, grants);
			}
			logger.debug("Redlock '{}': {} of {} nodes granted, {} needed; busy", request.lockId(), granted.size(),
					this.nodes.size(), this.quorum);
			return Optional.empty();
		}
		long chosen = token;
		List<NodeOutcome<Boolean>> stamps = this.calls.call(nodes(granted),
				(node) -> node.provider().stampToken(leaseOn(granted, node), chosen));
		List<NodeOutcome<Lease>> stamped = new ArrayList<>();
		for (NodeOutcome<Boolean> stamp : stamps) {
			Lease nodeLease = leaseOn(granted, stamp.node());
			if (Boolean.TRUE.equals(stamp.value())) {
				stamped.add(new NodeOutcome<>(stamp.node(), withToken(nodeLease, chosen), null));
			}
			else {
				// Unknown whether the stamp landed: undo under both tokens.
				stamped.add(new NodeOutcome<>(stamp.node(), nodeLease, null));
				stamped.add(new NodeOutcome<>(stamp.node(), withToken(nodeLease, chosen), null));
			}
		}
		long stampedCount = stamps.stream().filter((stamp) -> Boolean.TRUE.equals(stamp.value())).count();
		if (stampedCount < this.quorum || !withinValidity(request.leaseTime(), start)) {
			undo(stamped);
			if (stampedCount < this.quorum) {
				throw new LockBackendException("Redlock token write-back of lock '" + request.lockId()
						+ "' reached " + stampedCount + " of " + this.nodes.size() + " nodes; " + this.quorum
						+ " needed. The grant was undone");
			}
			logger.debug("Redlock '{}': majority reached after the validity window; undone", request.lockId());
			return Optional.empty();
		}
		logger.debug("Redlock '{}' granted to {} on {} of {} nodes with fencing token {}", request.lockId(),
				request.owner(), stampedCount, this.nodes.size(), chosen);
		return Optional.of(new Lease(request.lockId(), request.owner(), chosen, request.leaseTime()));
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		long start = System.nanoTime();
		List<NodeOutcome<Boolean>> renewals = this.calls.call(this.nodes,
				(node) -> node.provider().extend(lease, leaseTime));
		int renewed = 0;
		int answered = 0;
		for (NodeOutcome<Boolean> renewal : renewals) {
			if (renewal.answered()) {
				answered++;
				if (Boolean.TRUE.equals(renewal.value())) {
					renewed++;
				}
			}
		}
		if (renewed >= this.quorum && withinValidity(leaseTime, start)) {
			return true;
		}
		if (renewed + (this.nodes.size() - answered) >= this.quorum) {
			// The silent nodes could still hold it: unknown, not lost; the engine retries.
			throw noMajority("renewal of lock '" + lease.lockId() + "'", answered, renewals);
		}
		logger.debug("Redlock lease on '{}' renewed on {} nodes only; lost", lease.lockId(), renewed);
		return false;
	}

	@Override
	public void release(Lease lease) {
		List<NodeOutcome<Void>> releases = this.calls.call(this.nodes, (node) -> {
			node.provider().release(lease);
			return null;
		});
		long failed = releases.stream().filter((outcome) -> !outcome.answered()).count();
		if (failed > 0) {
			// Those nodes keep the key until its TTL ends: a majority can no longer be had meanwhile only
			// if too few others are up, which is safe.
			logger.warn("Redlock release of '{}' failed on {} of {} nodes; their keys expire with the lease",
					lease.lockId(), failed, this.nodes.size());
		}
	}

	@Override
	public Set<ProviderCapability> capabilities() {
		return EnumSet.of(ProviderCapability.RELEASE_NOTIFICATIONS);
	}

	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		List<ReleaseSubscription> subscriptions = new ArrayList<>();
		for (RedlockNode node : this.nodes) {
			try {
				subscriptions.add(node.provider().onRelease(lockId, listener));
			}
			catch (RuntimeException ex) {
				// A node down now: the waiter still polls and is woken by the others.
				logger.debug("No release subscription on Redlock node {}: {}", node.name(), ex.toString());
			}
		}
		return () -> subscriptions.forEach(ReleaseSubscription::close);
	}

	@Override
	public void checkHealth() {
		List<NodeOutcome<Void>> pings = this.calls.call(this.nodes, (node) -> {
			node.provider().checkHealth();
			return null;
		});
		int answered = (int) pings.stream().filter(NodeOutcome::answered).count();
		if (answered < this.quorum) {
			throw noMajority("health check", answered, pings);
		}
	}

	/** Closes every node's provider and the connections Redlock owns. */
	@Override
	public void close() {
		this.calls.close();
		for (RedlockNode node : this.nodes) {
			node.provider().close();
			try {
				node.connection().close();
			}
			catch (Exception ex) {
				logger.debug("Closing Redlock node {} failed: {}", node.name(), ex.toString());
			}
		}
	}

	private boolean withinValidity(Duration leaseTime, long startNanos) {
		long drift = (long) (leaseTime.toNanos() * DRIFT_FACTOR) + 2_000_000L;
		return leaseTime.toNanos() - (System.nanoTime() - startNanos) - drift > 0;
	}

	private void undo(List<NodeOutcome<Lease>> taken) {
		for (NodeOutcome<Lease> outcome : taken) {
			Lease lease = outcome.value();
			if (lease != null) {
				undoOn(outcome.node(), lease);
			}
		}
	}

	private void undoLateGrant(NodeOutcome<Optional<Lease>> late) {
		Optional<Lease> lease = late.value();
		if (lease != null && lease.isPresent()) {
			undoOn(late.node(), lease.get());
		}
	}

	private void undoOn(RedlockNode node, Lease lease) {
		try {
			this.calls.fireAndForget(List.of(node), (target) -> {
				try {
					target.provider().release(lease);
				}
				catch (RuntimeException ex) {
					logger.debug("Undoing a Redlock grant on {} failed; it expires: {}", target.name(), ex.toString());
				}
			});
		}
		catch (RuntimeException ex) {
			// Provider closed: the key expires with its lease.
		}
	}

	private LockBackendException noMajority(String operation, int answered, List<? extends NodeOutcome<?>> outcomes) {
		StringBuilder message = new StringBuilder("Redlock ").append(operation).append(" failed: ").append(answered)
			.append(" of ").append(this.nodes.size()).append(" nodes answered, ").append(this.quorum)
			.append(" needed (distlock.redlock.nodes)");
		Throwable cause = null;
		for (NodeOutcome<?> outcome : outcomes) {
			if (!outcome.answered()) {
				message.append("; ").append(outcome.node().name()).append(": ").append(outcome.failure());
				cause = (cause != null) ? cause : outcome.failure();
			}
		}
		return new LockBackendException(message.toString(), cause);
	}

	private static List<RedlockNode> nodes(List<NodeOutcome<Lease>> outcomes) {
		return outcomes.stream().map(NodeOutcome::node).toList();
	}

	private static Lease leaseOn(List<NodeOutcome<Lease>> granted, RedlockNode node) {
		for (NodeOutcome<Lease> outcome : granted) {
			if (outcome.node() == node && outcome.value() != null) {
				return outcome.value();
			}
		}
		throw new IllegalStateException("No grant on Redlock node " + node.name());
	}

	private static Lease withToken(Lease lease, long token) {
		return new Lease(lease.lockId(), lease.owner(), token, lease.leaseTime());
	}

}
