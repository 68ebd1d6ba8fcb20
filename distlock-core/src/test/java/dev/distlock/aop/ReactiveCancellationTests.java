package dev.distlock.aop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import dev.distlock.DistributedLocked;
import dev.distlock.engine.FaultInjectingLockProvider;
import dev.distlock.engine.LockEngine;
import dev.distlock.spi.LeaseRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscription cancelled while its lock is still being acquired (a {@code timeout}, a client that
 * went away) must not leave the lock held: nobody would ever release it, and the watchdog would
 * keep renewing it.
 */
class ReactiveCancellationTests {

	private static final String LOCK = "dev.distlock.aop.ReactiveCancellationTests$Reports.report";

	final FaultInjectingLockProvider provider = new FaultInjectingLockProvider();

	final ConfigurableApplicationContext context = TestApplication.on(this.provider).start(Reports.class);

	final Reports reports = this.context.getBean(Reports.class);

	@AfterEach
	void close() {
		this.context.close();
	}

	@Test
	void aSubscriptionCancelledWhileTheBackendGrantsTheLockReleasesIt() throws Exception {
		CountDownLatch attempting = new CountDownLatch(1);
		CountDownLatch grant = new CountDownLatch(1);
		this.provider.beforeAttempt((request) -> {
			attempting.countDown();
			awaitUninterruptibly(grant);
		});
		Disposable subscription = this.reports.report().subscribe();
		assertThat(attempting.await(10, TimeUnit.SECONDS)).isTrue();
		subscription.dispose();
		grant.countDown();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.provider.backend().inspect(LOCK)).isEmpty());
		assertThat(this.context.getBean(LockEngine.class).heldLocks()).isEmpty();
		assertThat(this.reports.runs()).isZero();
	}

	@Test
	void aSubscriptionCancelledWhileWaitingForTheLockLeavesNothingHeld() throws Exception {
		this.provider.backend()
			.tryAcquire(new LeaseRequest(LOCK, "elsewhere#1", Duration.ofMillis(500)));
		Disposable subscription = this.reports.report().subscribe();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.provider.tryAcquireCalls() >= 2);
		subscription.dispose();
		await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.provider.backend().inspect(LOCK)).isEmpty());
		assertThat(this.reports.runs()).isZero();
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		boolean interrupted = false;
		while (true) {
			try {
				latch.await();
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	public static class Reports {

		private final AtomicInteger runs = new AtomicInteger();

		public int runs() {
			return this.runs.get();
		}

		@DistributedLocked(waitTime = "10s")
		public Mono<String> report() {
			return Mono.fromCallable(() -> {
				this.runs.incrementAndGet();
				return "report";
			});
		}

	}

}
