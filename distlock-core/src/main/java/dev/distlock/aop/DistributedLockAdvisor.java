package dev.distlock.aop;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Applies the {@link DistributedLockInterceptor} to every method that has a {@link LockOperation}:
 * {@code @DistributedLocked} methods, and {@code @Scheduled} methods when scheduled locking is on.
 */
public final class DistributedLockAdvisor extends AbstractPointcutAdvisor {

	private final LockOperationSource operations;

	private final DistributedLockInterceptor interceptor;

	public DistributedLockAdvisor(LockOperationSource operations, DistributedLockInterceptor interceptor) {
		this.operations = operations;
		this.interceptor = interceptor;
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
