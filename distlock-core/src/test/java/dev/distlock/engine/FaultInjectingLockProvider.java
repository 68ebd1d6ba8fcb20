package dev.distlock.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

/**
 * The real {@link InMemoryLockProvider} behind a decorator that counts the engine's calls and can be
 * switched to fail (as an unreachable backend would) or to refuse renewals (as a backend that lost
 * the lease would). Not a mock: every call that is let through reaches the real in-memory backend.
 */
public final class FaultInjectingLockProvider implements LockProvider {

	/** How long a session-scoped lease lives in the backend: longer than any test. */
	private static final Duration SESSION = Duration.ofDays(1);

	private final InMemoryLockProvider backend = new InMemoryLockProvider();

	private volatile @Nullable Supplier<RuntimeException> failure;

	private volatile boolean refusingRenewals;

	private final boolean sessionScoped;

	private volatile Consumer<LeaseRequest> onBusy = (request) -> {
	};

	private volatile Consumer<LeaseRequest> beforeAttempt = (request) -> {
	};

	private final AtomicInteger tryAcquireCalls = new AtomicInteger();

	private final AtomicInteger extendCalls = new AtomicInteger();

	private final List<Integer> extendAllBatchSizes = new CopyOnWriteArrayList<>();

	private final Map<String, AtomicInteger> acquiresInFlight = new ConcurrentHashMap<>();

	private final AtomicInteger maxAcquiresInFlightPerLock = new AtomicInteger();

	/** A provider whose leases live as long as the backend has them (TTL-based, like Redis). */
	public FaultInjectingLockProvider() {
		this(false);
	}

	/**
	 * @param sessionScoped whether leases behave like session locks (advisory locks, ZooKeeper): the
	 * backend keeps them until released, however long their lease time
	 */
	public FaultInjectingLockProvider(boolean sessionScoped) {
		this.sessionScoped = sessionScoped;
	}

	/** Every following call that reaches the backend throws what the supplier makes. */
	public void failWith(Supplier<RuntimeException> failure) {
		this.failure = failure;
	}

	/** The backend answers again. */
	public void heal() {
		this.failure = null;
		this.refusingRenewals = false;
	}

	/** Renewals report the lease as no longer held, without touching the backend. */
	public void refuseRenewals() {
		this.refusingRenewals = true;
	}

	/** Called after every acquisition attempt that found the lock busy. */
	public void onBusy(Consumer<LeaseRequest> onBusy) {
		this.onBusy = onBusy;
	}

	/** Called at the start of every acquisition attempt, on the caller's thread (may block it). */
	public void beforeAttempt(Consumer<LeaseRequest> beforeAttempt) {
		this.beforeAttempt = beforeAttempt;
	}

	public int tryAcquireCalls() {
		return this.tryAcquireCalls.get();
	}

	public int extendCalls() {
		return this.extendCalls.get();
	}

	public List<Integer> extendAllBatchSizes() {
		return List.copyOf(this.extendAllBatchSizes);
	}

	/** The most acquisition attempts that were ever running at once for one lock id. */
	public int maxAcquiresInFlightPerLock() {
		return this.maxAcquiresInFlightPerLock.get();
	}

	public InMemoryLockProvider backend() {
		return this.backend;
	}

	@Override
	public Set<ProviderCapability> capabilities() {
		Set<ProviderCapability> capabilities = EnumSet.noneOf(ProviderCapability.class);
		capabilities.addAll(this.backend.capabilities());
		if (this.sessionScoped) {
			capabilities.add(ProviderCapability.SESSION_SCOPED_LEASES);
		}
		return capabilities;
	}

	@Override
	public String id() {
		return this.backend.id();
	}

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		this.tryAcquireCalls.incrementAndGet();
		AtomicInteger inFlight = this.acquiresInFlight.computeIfAbsent(request.lockId(), (id) -> new AtomicInteger());
		this.maxAcquiresInFlightPerLock.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
		try {
			this.beforeAttempt.accept(request);
			failIfBroken();
			// Give a concurrent caller a chance to overlap, so the in-flight count can catch it.
			Thread.yield();
			Optional<Lease> lease = this.backend.tryAcquire(this.sessionScoped
					? new LeaseRequest(request.lockId(), request.owner(), SESSION) : request);
			if (lease.isEmpty()) {
				this.onBusy.accept(request);
			}
			return lease.map((granted) -> new Lease(granted.lockId(), granted.owner(), granted.fencingToken(),
					request.leaseTime()));
		}
		finally {
			inFlight.decrementAndGet();
		}
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		this.extendCalls.incrementAndGet();
		failIfBroken();
		return !this.refusingRenewals && this.backend.extend(lease, this.sessionScoped ? SESSION : leaseTime);
	}

	@Override
	public Set<Lease> extendAll(Collection<Lease> leases) {
		this.extendAllBatchSizes.add(leases.size());
		failIfBroken();
		if (this.refusingRenewals) {
			return Set.of();
		}
		if (this.sessionScoped) {
			return leases.stream().filter((lease) -> this.backend.extend(lease, SESSION))
				.collect(Collectors.toCollection(LinkedHashSet::new));
		}
		return this.backend.extendAll(leases);
	}

	@Override
	public void release(Lease lease) {
		failIfBroken();
		this.backend.release(lease);
	}

	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		return this.backend.onRelease(lockId, listener);
	}

	@Override
	public List<BackendLock> listLocks() {
		failIfBroken();
		return this.backend.listLocks();
	}

	@Override
	public boolean forceRelease(String lockId) {
		return this.backend.forceRelease(lockId);
	}

	@Override
	public void checkHealth() {
		failIfBroken();
	}

	private void failIfBroken() {
		Supplier<RuntimeException> failure = this.failure;
		if (failure != null) {
			throw failure.get();
		}
	}

}
