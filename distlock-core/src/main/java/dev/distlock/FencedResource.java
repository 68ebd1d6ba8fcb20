package dev.distlock;

/**
 * A resource that remembers the highest fencing token it has accepted and refuses lower ones: the
 * check that makes a lease-based lock safe when a holder was paused (GC, VM freeze) past its lease
 * and writes late, after another holder was granted the lock with a higher token.
 *
 * <pre>{@code
 * @DistributedLocked(key = "#orderId")
 * @Transactional
 * public void charge(long orderId) {
 *     fencedResource.check("order:" + orderId);   // throws if a newer holder already wrote
 *     payments.insertCharge(orderId);              // commits or rolls back with the check
 * }
 * }</pre>
 *
 * <p>Resource names are data: any string (long, unicode, quotes) names its own resource and never
 * collides with another. Equal tokens pass, so one holder may write several times. A resource
 * checked with tokens of different locks compares them as numbers; check one resource with the
 * tokens of one lock (or one leadership group).
 *
 * <p>Implementations: {@code dev.distlock.jdbc.fencing.JdbcFencedResource} records the token in
 * the caller's transaction, so the check and the protected write commit or roll back together;
 * {@code dev.distlock.redis.fencing.RedisFencedResource} checks in one Lua script.
 */
public interface FencedResource {

	/**
	 * Records the fencing token of the innermost lock the current thread holds
	 * ({@link LockContext#current()}) for {@code resource}, unless a higher token was recorded for
	 * it before.
	 * @param resource the name of the protected resource, e.g. {@code "order:" + orderId}
	 * @throws StaleFencingTokenException if a higher token was recorded for the resource
	 * @throws IllegalStateException if the current thread holds no lock
	 */
	default void check(String resource) {
		LockHandle lock = LockContext.current()
			.orElseThrow(() -> new IllegalStateException("FencedResource.check(\"" + resource
					+ "\") needs a lock held on this thread (a @DistributedLocked method or a LockHandle), "
					+ "or a token passed explicitly with check(resource, token)"));
		check(resource, lock.fencingToken());
	}

	/**
	 * Records {@code token} for {@code resource}, unless a higher token was recorded for it before.
	 * @param resource the name of the protected resource
	 * @param token a fencing token ({@link LockHandle#fencingToken()}, a leadership term); positive
	 * @throws StaleFencingTokenException if a higher token was recorded for the resource
	 * @throws IllegalArgumentException if the token is not positive
	 */
	void check(String resource, long token);

}
