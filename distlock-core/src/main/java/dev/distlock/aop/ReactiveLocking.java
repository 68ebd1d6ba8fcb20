package dev.distlock.aop;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.distlock.LockGroup;
import dev.distlock.engine.LockEngine;

/**
 * Locks around a Reactor {@code Mono}/{@code Flux} (or another deferred reactive type, adapted through
 * Spring's {@link ReactiveAdapterRegistry}): the lock is taken when the publisher is
 * subscribed (on a blocking-friendly scheduler, since providers block) and released when it
 * terminates or is cancelled. Only loaded when Reactor is on the classpath.
 */
final class ReactiveLocking {

	private static final boolean reactorPresent = ClassUtils.isPresent("reactor.core.publisher.Mono",
			ReactiveLocking.class.getClassLoader());

	private ReactiveLocking() {
	}

	static boolean isReactive(Class<?> returnType) {
		return reactorPresent && Holder.isDeferredReactiveType(returnType);
	}

	static Object lock(@Nullable Object publisher, Class<?> returnType, Supplier<Optional<LockGroup>> acquire,
			LockEngine engine, Supplier<@Nullable Object> whenBusy) {
		return Holder.lock(publisher, returnType, acquire, engine, whenBusy);
	}

	/** Keeps Reactor types out of the outer class, so it loads without Reactor. */
	private static final class Holder {

		/**
		 * Mono, Flux and every deferred type Spring's {@link ReactiveAdapterRegistry} can adapt
		 * ({@code Publisher}, RxJava, Kotlin {@code Flow}, ...): work that runs when subscribed. An eager
		 * type ({@code CompletableFuture}) started its work during the call and is locked as a
		 * {@code CompletionStage} instead.
		 */
		static boolean isDeferredReactiveType(Class<?> type) {
			if (Mono.class.isAssignableFrom(type) || Flux.class.isAssignableFrom(type)) {
				return true;
			}
			ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(type);
			return adapter != null && adapter.getDescriptor().isDeferred();
		}

		static Object lock(@Nullable Object publisher, Class<?> returnType, Supplier<Optional<LockGroup>> acquire,
				LockEngine engine, Supplier<@Nullable Object> whenBusy) {
			if (Mono.class.isAssignableFrom(returnType)) {
				return lockedMono(asPublisher(publisher), acquire, engine, whenBusy);
			}
			if (Flux.class.isAssignableFrom(returnType)) {
				return lockedFlux(asPublisher(publisher), acquire, engine, whenBusy);
			}
			// Any other reactive type: lock its Publisher view, then turn that back into the type.
			ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType);
			if (adapter == null) {
				throw new IllegalStateException("No reactive adapter for " + returnType.getName());
			}
			Publisher<Object> source = (publisher != null) ? adapter.toPublisher(publisher) : Mono.empty();
			return adapter.fromPublisher(adapter.isMultiValue() ? lockedFlux(source, acquire, engine, whenBusy)
					: lockedMono(source, acquire, engine, whenBusy));
		}

		private static Mono<Object> lockedMono(Publisher<Object> source, Supplier<Optional<LockGroup>> acquire,
				LockEngine engine, Supplier<@Nullable Object> whenBusy) {
			return Mono.defer(() -> {
				PendingLock pending = new PendingLock();
				return Mono.usingWhen(pending.acquire(acquire, engine),
						(handle) -> handle.isPresent()
								? (pending.deliver(handle.get()) ? Mono.from(source) : Mono.empty())
								: Mono.fromSupplier(whenBusy),
						ReactiveLocking.Holder::release);
			});
		}

		private static Flux<Object> lockedFlux(Publisher<Object> source, Supplier<Optional<LockGroup>> acquire,
				LockEngine engine, Supplier<@Nullable Object> whenBusy) {
			return Flux.defer(() -> {
				PendingLock pending = new PendingLock();
				return Flux.usingWhen(pending.acquire(acquire, engine),
						(handle) -> handle.isPresent()
								? (pending.deliver(handle.get()) ? Flux.from(source) : Flux.empty())
								: Mono.fromSupplier(whenBusy),
						ReactiveLocking.Holder::release);
			});
		}

		@SuppressWarnings("unchecked")
		private static Publisher<Object> asPublisher(@Nullable Object publisher) {
			return (publisher != null) ? (Publisher<Object>) publisher : Mono.empty();
		}

		/** Releasing talks to the backend (blocking I/O): never on the thread that signalled, often an event loop. */
		private static Mono<Void> release(Optional<LockGroup> handle) {
			return Mono.<Void>fromRunnable(() -> handle.ifPresent(LockGroup::close))
				.subscribeOn(Schedulers.boundedElastic());
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

			Mono<Optional<LockGroup>> acquire(Supplier<Optional<LockGroup>> acquire, LockEngine engine) {
				return Mono.fromCallable(() -> {
					Optional<LockGroup> handle = acquire.get();
					handle.ifPresent(engine::detachFromCurrentThread);
					if (handle.isPresent() && !this.state.compareAndSet(null, handle.get())) {
						handle.get().close();
					}
					return handle;
				}).subscribeOn(Schedulers.boundedElastic()).doOnCancel(this::cancel);
			}

			/** Whether the work may run under the handle: false if the subscription was cancelled first. */
			boolean deliver(LockGroup handle) {
				return this.state.compareAndSet(handle, DELIVERED);
			}

			private void cancel() {
				while (true) {
					Object current = this.state.get();
					if (current == DELIVERED || current == CANCELLED) {
						return;
					}
					if (this.state.compareAndSet(current, CANCELLED)) {
						if (current instanceof LockGroup handle) {
							Schedulers.boundedElastic().schedule(handle::close);
						}
						return;
					}
				}
			}

		}

	}

}
