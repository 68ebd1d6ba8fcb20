package dev.distlock.zookeeper;

import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ReleaseSubscription;

/** Passes every call to a provider and counts release subscriptions, so a test knows when a waiter sleeps. */
final class SubscriptionCountingProvider extends ForwardingLockProvider {

	private final AtomicInteger subscriptions = new AtomicInteger();

	SubscriptionCountingProvider(LockProvider delegate) {
		super(delegate);
	}

	int subscriptions() {
		return this.subscriptions.get();
	}

	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		ReleaseSubscription subscription = super.onRelease(lockId, listener);
		this.subscriptions.incrementAndGet();
		return subscription;
	}

}
