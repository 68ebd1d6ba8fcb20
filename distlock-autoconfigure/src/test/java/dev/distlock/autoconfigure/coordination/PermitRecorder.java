package dev.distlock.autoconfigure.coordination;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the permit holders of every instance saw, shared by all instances of one test: how many held
 * the permits at once (at most, and whenever it went over), every fencing token, and re-entries that
 * did not share their outer grant.
 */
final class PermitRecorder {

	private final AtomicInteger inside = new AtomicInteger();

	final AtomicInteger maxInside = new AtomicInteger();

	final AtomicInteger calls = new AtomicInteger();

	final Set<Long> tokens = ConcurrentHashMap.newKeySet();

	final Queue<String> violations = new ConcurrentLinkedQueue<>();

	void entered(long token) {
		int now = this.inside.incrementAndGet();
		this.maxInside.accumulateAndGet(now, Math::max);
		this.calls.incrementAndGet();
		if (!this.tokens.add(token)) {
			this.violations.add("fencing token " + token + " was granted twice");
		}
	}

	void left() {
		this.inside.decrementAndGet();
	}

	void violation(String description) {
		this.violations.add(description);
	}

}
