package dev.distlock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method only while this instance holds a cluster-wide lock.
 *
 * <p>The lock is a lease held in the configured backend and renewed by a watchdog while the
 * method runs. Every grant carries a fencing token, readable inside the method through
 * {@link LockContext#current()}. Every attribute is validated when the application starts.
 *
 * <pre class="code">
 * &#64;DistributedLocked(key = "#orderId", waitTime = "2s")
 * public void charge(long orderId) { ... }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DistributedLocked {

	/**
	 * Lock name. Default: the bean's own class's {@code getName()} (not the proxy's; {@code $} for
	 * nested classes) + {@code .} + method name.
	 */
	String name() default "";

	/**
	 * SpEL expression over the method arguments ({@code #order.id}, {@code #p0}, {@code #root.method},
	 * {@code @bean}) whose value is appended to the name: lock id = {@code name + ":" + value}. A
	 * null or blank value fails the call with {@link LockKeyException}.
	 * <p>A value that is a {@link java.util.Collection} or an array ({@code "{#from, #to}"}) locks every
	 * distinct element, in ascending lock-id order, all or nothing within one {@link #waitTime()}, and
	 * releases them in reverse order; an empty collection or a null element fails the call with
	 * {@link LockKeyException}.
	 */
	String key() default "";

	/**
	 * How long the lease lives without renewal ({@code 30s}, {@code 5m}, {@code PT30S},
	 * {@code ${placeholder}}). Default: {@code distlock.lease-time}, or
	 * {@code distlock.scheduled.lease-time} on {@code @Scheduled} methods. Must be positive.
	 */
	String leaseTime() default "";

	/**
	 * How long to wait for a busy lock; {@code 0} means a single attempt. Default:
	 * {@code distlock.wait-time}.
	 */
	String waitTime() default "";

	/**
	 * Keep the lock at least this long after the method returns, so a fast job does not run again
	 * on an instance whose clock or schedule lags. Default {@code 0}; on {@code @Scheduled} methods
	 * {@code distlock.scheduled.min-hold-time}, or half the job's period. At most {@link #leaseTime()}.
	 */
	String minHoldTime() default "";

	/** What to do when the lock stays busy for the whole wait time. */
	IfLocked ifLocked() default IfLocked.DEFAULT;

	/** Renew the lease while the method runs. */
	boolean autoRenew() default true;

	/**
	 * How many callers may hold the lock at once across the cluster (e.g. the concurrency a
	 * rate-limited API allows); default 1, a plain lock. Must be at least 1. A thread that holds a
	 * permit re-enters without taking a second one; the in-JVM gate admits this many threads.
	 */
	int permits() default 1;

	/** Bean name of the {@code LockProvider} to use when several exist. Default: the primary one. */
	String provider() default "";

}
