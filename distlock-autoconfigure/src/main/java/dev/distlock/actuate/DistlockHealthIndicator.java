package dev.distlock.actuate;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.distlock.engine.LockEngine;

/**
 * Health of one lock engine's backend: {@code UP} when the provider's cheap check answers within the
 * timeout, {@code DOWN} with the error otherwise. Details: {@code provider}, {@code held} (locks this
 * instance holds) and {@code leasesLost} (since start).
 *
 * <p>The check runs on its own thread so a hung backend never holds the health endpoint longer than
 * the timeout. While a check is still running, later health calls wait on that same check instead
 * of starting another, so a backend that hangs does not pile up threads.
 */
public class DistlockHealthIndicator implements HealthIndicator {

	/** How long a health call waits for the backend by default. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	private static final Logger logger = LoggerFactory.getLogger(DistlockHealthIndicator.class);

	private final LockEngine engine;

	private final Duration timeout;

	private final AtomicReference<CompletableFuture<Void>> check = new AtomicReference<>();

	/**
	 * @param engine the engine whose backend to check
	 * @param timeout how long a health call waits for the backend's answer
	 */
	public DistlockHealthIndicator(LockEngine engine, Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("distlock health timeout must be positive, was " + timeout);
		}
		this.engine = engine;
		this.timeout = timeout;
	}

	/** With the {@linkplain #DEFAULT_TIMEOUT default timeout}. */
	public DistlockHealthIndicator(LockEngine engine) {
		this(engine, DEFAULT_TIMEOUT);
	}

	@Override
	public Health health() {
		Health.Builder builder = backendHealth();
		return builder.withDetail("provider", this.engine.provider().id())
			.withDetail("held", this.engine.heldLocks().size())
			.withDetail("leasesLost", this.engine.leasesLost())
			.build();
	}

	private Health.Builder backendHealth() {
		try {
			currentCheck().get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
			return Health.up();
		}
		catch (TimeoutException ex) {
			logger.debug("The {} backend did not answer the health check within {}", this.engine.provider().id(),
					this.timeout);
			return Health.down()
				.withDetail("error", "The " + this.engine.provider().id() + " backend did not answer within "
						+ this.timeout.toMillis() + "ms");
		}
		catch (ExecutionException ex) {
			return Health.down(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.down().withDetail("error", "Interrupted while checking the backend");
		}
	}

	/** The running check, or a new one if none is running. */
	private CompletableFuture<Void> currentCheck() {
		while (true) {
			CompletableFuture<Void> running = this.check.get();
			if (running != null && !running.isDone()) {
				return running;
			}
			CompletableFuture<Void> next = new CompletableFuture<>();
			if (this.check.compareAndSet(running, next)) {
				start(next);
				return next;
			}
		}
	}

	private void start(CompletableFuture<Void> result) {
		Thread thread = new Thread(() -> {
			try {
				this.engine.provider().checkHealth();
				result.complete(null);
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}, "distlock-health-" + this.engine.provider().id());
		thread.setDaemon(true);
		thread.start();
	}

}
