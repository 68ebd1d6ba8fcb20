package dev.distlock.aop;

import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LeaderElection;
import dev.distlock.Leadership;

/**
 * Runs a {@link dev.distlock.LeaderOnly} method only while this instance leads its group; otherwise
 * skips it, returning what {@link dev.distlock.IfLocked#SKIP} returns.
 */
public final class LeaderOnlyInterceptor implements MethodInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(LeaderOnlyInterceptor.class);

	private final LeaderOnlyMethods methods;

	private final Supplier<LeaderElection> election;

	public LeaderOnlyInterceptor(LeaderOnlyMethods methods, Supplier<LeaderElection> election) {
		this.methods = methods;
		this.election = election;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Class<?> targetClass = (invocation.getThis() != null) ? invocation.getThis().getClass() : null;
		String group = this.methods.group(invocation.getMethod(), targetClass);
		if (group == null) {
			return invocation.proceed();
		}
		// The validator joined the group at startup; once the election has shut down (or the group
		// was closed) this instance no longer campaigns, so it skips.
		for (Leadership leadership : this.election.get().joined()) {
			if (leadership.group().equals(group) && leadership.isLeader()) {
				return invocation.proceed();
			}
		}
		logger.debug("Skipped {}: this instance does not lead group '{}'", invocation.getMethod(), group);
		return SkippedResult.forType(invocation.getMethod().getReturnType());
	}

}
