package dev.distlock.aop;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;

/**
 * Applies the {@link DistributedLockInterceptor} to every method that has a {@link LockOperation}:
 * {@code @DistributedLocked} methods, and {@code @Scheduled} methods when scheduled locking is on.
 */
public final class DistributedLockAdvisor extends AbstractPointcutAdvisor {

	private final LockOperationSource operations;

	private final DistributedLockInterceptor interceptor;

	/**
	 * Order of the lock advice: before (outside) transactions, caching and retries, which all use
	 * lower precedence by default. A lock taken inside a transaction would be released before the
	 * commit, letting another instance read the data before it is written.
	 */
	public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;

	public DistributedLockAdvisor(LockOperationSource operations, DistributedLockInterceptor interceptor) {
		this.operations = operations;
		this.interceptor = interceptor;
		setOrder(DEFAULT_ORDER);
	}

	@Override
	public Pointcut getPointcut() {
		return new StaticMethodMatcherPointcut() {
			@Override
			public boolean matches(Method method, Class<?> targetClass) {
				return DistributedLockAdvisor.this.operations.getOperation(method, targetClass) != null;
			}
		};
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

}
