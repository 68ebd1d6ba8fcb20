package dev.distlock.aop;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;

import dev.distlock.IfLocked;
import dev.distlock.LockGroup;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.LockRequest;
import dev.distlock.aop.scheduling.SlotClaims;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngines;

/**
 * Runs a locked method under its lock: evaluates the key, acquires through the engine, invokes, and
 * releases when the work ends. Work that ends later than the call (a {@link CompletionStage}, a
 * Reactive Streams {@code Publisher}) keeps the lock until it completes; a {@code Publisher} takes
 * the lock per subscription, since a scheduler re-subscribes it on every run. A {@code @Scheduled}
 * run first claims its fire slot ({@link SlotClaims}), so each tick runs once across the cluster.
 */
public final class DistributedLockInterceptor implements MethodInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(DistributedLockInterceptor.class);

	private final LockOperationSource operations;

	private final LockKeyEvaluator keys;

	private final Supplier<LockEngines> engines;

	private final SlotClaims slotClaims;

	/**
	 * With slot claims for the default {@code distlock.scheduled.max-clock-skew} of 1s, not tied to
	 * the application's lifecycle (so shutdown does not wait for claims on session-scoped backends).
	 * @param operations the parsed operations
	 * @param keys evaluates key expressions
	 * @param engines the engines, looked up lazily (providers may be created after this interceptor)
	 */
	public DistributedLockInterceptor(LockOperationSource operations, LockKeyEvaluator keys,
			Supplier<LockEngines> engines) {
		this(operations, keys, engines, new SlotClaims(null, Duration.ofSeconds(1)));
	}

	/**
	 * @param operations the parsed operations
	 * @param keys evaluates key expressions
	 * @param engines the engines, looked up lazily (providers may be created after this interceptor)
	 * @param slotClaims claims the fire slots of scheduled runs (a lifecycle bean)
	 */
	public DistributedLockInterceptor(LockOperationSource operations, LockKeyEvaluator keys,
			Supplier<LockEngines> engines, SlotClaims slotClaims) {
		this.operations = operations;
		this.keys = keys;
		this.engines = engines;
		this.slotClaims = slotClaims;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
		LockOperation operation = this.operations.getOperation(method, targetClass);
		if (operation == null) {
			return invocation.proceed();
		}
		Method specificMethod = AopUtils.getMostSpecificMethod(method, targetClass);
		List<LockRequest> requests = (operation.key() != null) ? operation.requests(this.keys.evaluateAll(operation,
				operation.key(), specificMethod, invocation.getArguments(), target, targetClass))
				: List.of(operation.request(null));
		// One key is a group of one: the same path locks one key or several, in one global order.
		LockRequest first = requests.get(0);
		LockEngine engine = this.engines.get().forProvider(operation.provider());
		Class<?> returnType = method.getReturnType();
		if (ReactiveLocking.isReactive(returnType)) {
			// The scheduler subscribes once per run: claim the slot per subscription, like the lock.
			return ReactiveLocking.lock(invocation.proceed(), returnType,
					() -> admit(operation, specificMethod, engine, first).admitted()
							? engine.tryAcquireAll(requests, operation.origin()) : Optional.empty(),
					engine, () -> busy(operation, requests, returnType));
		}
		SlotClaims.Admission admission = admit(operation, specificMethod, engine, first);
		if (!admission.admitted()) {
			return SkippedResult.forType(returnType);
		}
		Optional<LockGroup> acquired = engine.tryAcquireAll(requests, operation.origin());
		if (acquired.isEmpty()) {
			if (admission.slot() != null) {
				logger.info("Skipped {} for its fire time {}: the previous run still holds lock '{}'",
						operation.origin().source(), admission.slot().fireTime(), first.lockId());
			}
			return busy(operation, requests, returnType);
		}
		LockGroup locks = acquired.get();
		boolean releasedLater = false;
		try {
			Object result = invocation.proceed();
			if (result instanceof CompletionStage<?> stage) {
				engine.detachFromCurrentThread(locks);
				releasedLater = true;
				return releaseWhenComplete(stage, locks, returnType);
			}
			return result;
		}
		finally {
			if (!releasedLater) {
				locks.close();
			}
		}
	}

	/**
	 * Releases the lock when the work completes. The release hangs on a stage only this interceptor
	 * sees, and the caller gets a future of its own that completes after the release: cancelling it
	 * does not end the lock while the work still runs (cancelling the work's own future would, and a
	 * cancelled dependent never runs its action), and code that follows it finds the lock free.
	 * A return type that a plain {@link CompletableFuture} cannot fill gets the work's own stage.
	 */
	private static Object releaseWhenComplete(CompletionStage<?> stage, LockGroup handle, Class<?> returnType) {
		if (!returnType.isAssignableFrom(CompletableFuture.class)) {
			stage.whenComplete((value, error) -> handle.close());
			return stage;
		}
		CompletableFuture<Object> completion = new CompletableFuture<>();
		stage.whenComplete((value, error) -> {
			try {
				handle.close();
			}
			finally {
				if (error != null) {
					completion.completeExceptionally(error);
				}
				else {
					completion.complete(value);
				}
			}
		});
		return completion;
	}

	private SlotClaims.Admission admit(LockOperation operation, Method method, LockEngine engine, LockRequest request) {
		return operation.scheduled() ? this.slotClaims.admit(method, engine, request.lockId())
				: SlotClaims.Admission.NO_TICK;
	}

	private @Nullable Object busy(LockOperation operation, List<LockRequest> requests, Class<?> returnType) {
		String ids = (requests.size() == 1) ? "lock '" + requests.get(0).lockId() + "' is"
				: "one of the locks " + requests.stream().map(LockRequest::lockId).sorted().toList() + " is";
		if (operation.ifLocked() == IfLocked.SKIP) {
			logger.debug("Skipped {}: {} held elsewhere", operation.origin().source(), ids);
			return SkippedResult.forType(returnType);
		}
		throw new LockNotAcquiredException(requests.get(0).lockId(), operation.origin().source() + " did not run: "
				+ ids + " held elsewhere (waited " + operation.waitTime() + ")");
	}

}
