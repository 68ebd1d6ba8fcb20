package dev.distlock.aop;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Applies the {@link LeaderOnlyInterceptor} to {@link dev.distlock.LeaderOnly} methods, outside the
 * lock advice: an instance that does not lead skips the method without touching any lock.
 */
public final class LeaderOnlyAdvisor extends AbstractPointcutAdvisor {

	/** Just outside {@link DistributedLockAdvisor#DEFAULT_ORDER}. */
	public static final int DEFAULT_ORDER = DistributedLockAdvisor.DEFAULT_ORDER - 1;

	private final LeaderOnlyMethods methods;

	private final LeaderOnlyInterceptor interceptor;

	public LeaderOnlyAdvisor(LeaderOnlyMethods methods, LeaderOnlyInterceptor interceptor) {
		this.methods = methods;
		this.interceptor = interceptor;
		setOrder(DEFAULT_ORDER);
	}

	@Override
	public Pointcut getPointcut() {
		return new StaticMethodMatcherPointcut() {
			@Override
			public boolean matches(Method method, Class<?> targetClass) {
				return LeaderOnlyAdvisor.this.methods.group(method, targetClass) != null;
			}
		};
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

}
