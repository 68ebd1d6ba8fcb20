package dev.distlock.aop;

import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.distlock.LockHandle;
import dev.distlock.engine.LockEngine;

/**
 * Locks around a Reactor {@code Mono}/{@code Flux}: the lock is taken when the publisher is
 * subscribed (on a blocking-friendly scheduler, since providers block) and released when it
 * terminates or is cancelled. Only loaded when Reactor is on the classpath.
 */
final class ReactiveLocking {

	private static final boolean reactorPresent = ClassUtils.isPresent("reactor.core.publisher.Mono",
			ReactiveLocking.class.getClassLoader());

	private ReactiveLocking() {
	}

	static boolean isReactive(Class<?> returnType) {
		return reactorPresent && Holder.isReactorType(returnType);
	}

	static Object lock(@Nullable Object publisher, Class<?> returnType, Supplier<Optional<LockHandle>> acquire,
			LockEngine engine, Supplier<@Nullable Object> whenBusy) {
		return Holder.lock(publisher, returnType, acquire, engine, whenBusy);
	}

	/** Keeps Reactor types out of the outer class, so it loads without Reactor. */
	private static final class Holder {

		static boolean isReactorType(Class<?> type) {
			return Mono.class.isAssignableFrom(type) || Flux.class.isAssignableFrom(type);
		}

		static Object lock(@Nullable Object publisher, Class<?> returnType, Supplier<Optional<LockHandle>> acquire,
				LockEngine engine, Supplier<@Nullable Object> whenBusy) {
			Mono<Optional<LockHandle>> lock = Mono.fromCallable(() -> {
				Optional<LockHandle> handle = acquire.get();
				handle.ifPresent(engine::detachFromCurrentThread);
				return handle;
			}).subscribeOn(Schedulers.boundedElastic());
			if (Mono.class.isAssignableFrom(returnType)) {
				return Mono.usingWhen(lock,
						(handle) -> handle.isPresent() ? Mono.from(asPublisher(publisher)) : Mono.fromSupplier(whenBusy),
						ReactiveLocking.Holder::release);
			}
			return Flux.usingWhen(lock,
					(handle) -> handle.isPresent() ? Flux.from(asPublisher(publisher)) : Mono.fromSupplier(whenBusy),
					ReactiveLocking.Holder::release);
		}

		@SuppressWarnings("unchecked")
		private static org.reactivestreams.Publisher<Object> asPublisher(@Nullable Object publisher) {
			return (publisher != null) ? (org.reactivestreams.Publisher<Object>) publisher : Mono.empty();
		}

		private static Mono<Void> release(Optional<LockHandle> handle) {
			return Mono.fromRunnable(() -> handle.ifPresent(LockHandle::close));
		}

	}

}
