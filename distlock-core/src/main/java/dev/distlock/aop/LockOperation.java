package dev.distlock.aop;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.expression.Expression;

import dev.distlock.IfLocked;
import dev.distlock.LockRequest;
import dev.distlock.engine.LockOrigin;

/**
 * A locked method's resolved, validated settings: parsed once at startup, used on every call.
 *
 * @param origin static lock name and source method, for ids, operators and metrics
 * @param key the parsed key expression, or {@code null} when the lock id is the name alone
 * @param leaseTime positive
 * @param waitTime zero or positive
 * @param minHoldTime zero or positive, at most the lease time
 * @param ifLocked {@link IfLocked#THROW} or {@link IfLocked#SKIP}, never {@code DEFAULT}
 * @param autoRenew renew while the method runs
 * @param provider the provider bean name, or {@code null} for the primary provider
 * @param scheduled whether the method is a {@code @Scheduled} job
 * @param permits how many holders the lock may have at once; at least 1
 */
public record LockOperation(LockOrigin origin, @Nullable Expression key, Duration leaseTime, Duration waitTime,
		Duration minHoldTime, IfLocked ifLocked, boolean autoRenew, @Nullable String provider, boolean scheduled,
		int permits) {

	/** The request for one call, given the evaluated key (or {@code null} without a key). */
	public LockRequest request(@Nullable String keyValue) {
		String lockId = (keyValue != null) ? this.origin.lockName() + ":" + keyValue : this.origin.lockName();
		return LockRequest.of(lockId)
			.leaseTime(this.leaseTime)
			.waitTime(this.waitTime)
			.minHoldTime(this.minHoldTime)
			.autoRenew(this.autoRenew)
			.permits(this.permits);
	}

	/** The requests for one call whose key evaluated to several values (one per value). */
	public List<LockRequest> requests(List<String> keyValues) {
		return keyValues.stream().map(this::request).toList();
	}

}
