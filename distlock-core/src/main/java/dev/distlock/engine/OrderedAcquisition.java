package dev.distlock.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LockGroup;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

/**
 * Several locks taken in one global order, so that two callers locking overlapping sets never wait
 * for each other in a cycle: the distinct lock ids in ascending {@link String#compareTo} order, one
 * after the other, each waiting only for what is left of one shared wait budget. All or nothing: if
 * one stays busy or fails, those already taken are released, in reverse order.
 */
final class OrderedAcquisition {

	private static final Logger logger = LoggerFactory.getLogger(OrderedAcquisition.class);

	private OrderedAcquisition() {
	}

	/**
	 * The requests sorted by lock id, each id once (the first request for it wins), each waiting the
	 * rest of the budget: the largest wait time among them.
	 * @param acquire acquires one request (re-entry or a new grant)
	 * @return the group, or empty if one lock stayed busy
	 */
	static Optional<LockGroup> acquire(Collection<LockRequest> requests, EngineSettings settings,
			Function<LockRequest, Optional<LockHandle>> acquire) {
		if (requests.isEmpty()) {
			throw new IllegalArgumentException("no lock requests: a group needs at least one lock");
		}
		Map<String, LockRequest> byId = new TreeMap<>(Comparator.naturalOrder());
		Duration budget = Duration.ZERO;
		for (LockRequest request : requests) {
			byId.putIfAbsent(request.lockId(), request);
			Duration wait = settings.waitTime(request);
			budget = (wait.compareTo(budget) > 0) ? wait : budget;
		}
		long deadline = System.nanoTime() + budget.toNanos();
		List<LockHandle> taken = new ArrayList<>(byId.size());
		boolean complete = false;
		try {
			for (LockRequest request : byId.values()) {
				Duration rest = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
				Optional<LockHandle> handle = acquire.apply(request.waitTime(rest));
				if (handle.isEmpty()) {
					logger.debug("Lock '{}' of a group of {} stayed busy; releasing the {} taken before it",
							request.lockId(), byId.size(), taken.size());
					return Optional.empty();
				}
				taken.add(handle.get());
			}
			complete = true;
			return Optional.of(new EngineLockGroup(taken));
		}
		finally {
			if (!complete) {
				closeInReverse(taken);
			}
		}
	}

	/** Closes every handle, last first; one failing close does not keep the others held. */
	static void closeInReverse(List<LockHandle> handles) {
		RuntimeException failure = null;
		for (int i = handles.size() - 1; i >= 0; i--) {
			try {
				handles.get(i).close();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

}
