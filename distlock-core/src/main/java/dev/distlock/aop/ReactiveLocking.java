package dev.distlock.aop;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
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
			if (Mono.class.isAssignableFrom(returnType)) {
				return Mono.defer(() -> {
					PendingLock pending = new PendingLock();
					return Mono.usingWhen(pending.acquire(acquire, engine),
							(handle) -> handle.isPresent() ? (pending.deliver(handle.get())
									? Mono.from(asPublisher(publisher)) : Mono.empty()) : Mono.fromSupplier(whenBusy),
							ReactiveLocking.Holder::release);
				});
			}
			return Flux.defer(() -> {
				PendingLock pending = new PendingLock();
				return Flux.usingWhen(pending.acquire(acquire, engine),
						(handle) -> handle.isPresent() ? (pending.deliver(handle.get())
								? Flux.from(asPublisher(publisher)) : Flux.empty()) : Mono.fromSupplier(whenBusy),
						ReactiveLocking.Holder::release);
			});
		}

		@SuppressWarnings("unchecked")
		private static org.reactivestreams.Publisher<Object> asPublisher(@Nullable Object publisher) {
			return (publisher != null) ? (org.reactivestreams.Publisher<Object>) publisher : Mono.empty();
		}

		private static Mono<Void> release(Optional<LockHandle> handle) {
			return Mono.fromRunnable(() -> handle.ifPresent(LockHandle::close));
		}

		/**
		 * The lock of one subscription while it is acquired on another thread. A subscription may be
		 * cancelled then (a timeout, a client gone); a grant arriving after that would be dropped by
		 * Reactor and never released, while the watchdog kept renewing it. Whichever of the grant and
		 * the cancellation comes second releases the lock; once the work starts, releasing is
		 * {@code usingWhen}'s job.
		 */
		private static final class PendingLock {

			private static final Object CANCELLED = new Object();

			private static final Object DELIVERED = new Object();

			private final AtomicReference<@Nullable Object> state = new AtomicReference<>();

			Mono<Optional<LockHandle>> acquire(Supplier<Optional<LockHandle>> acquire, LockEngine engine) {
				return Mono.fromCallable(() -> {
					Optional<LockHandle> handle = acquire.get();
					handle.ifPresent(engine::detachFromCurrentThread);
					if (handle.isPresent() && !this.state.compareAndSet(null, handle.get())) {
						handle.get().close();
					}
					return handle;
				}).subscribeOn(Schedulers.boundedElastic()).doOnCancel(this::cancel);
			}

			/** Whether the work may run under the handle: false if the subscription was cancelled first. */
			boolean deliver(LockHandle handle) {
				return this.state.compareAndSet(handle, DELIVERED);
			}

			private void cancel() {
				while (true) {
					Object current = this.state.get();
					if (current == DELIVERED || current == CANCELLED) {
						return;
					}
					if (this.state.compareAndSet(current, CANCELLED)) {
						if (current instanceof LockHandle handle) {
							handle.close();
						}
						return;
					}
				}
			}

		}

	}

}
