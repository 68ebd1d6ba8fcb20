package dev.distlock.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.actuate.HeldLocksMeterBinder;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * distlock's meters in a {@code SimpleMeterRegistry} wired by Spring Boot's own metrics and
 * observation auto-configuration, and that nothing breaks or costs without Micrometer.
 */
class DistlockObservationAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class,
				DistlockObservationAutoConfiguration.class))
		.withPropertyValues("distlock.provider=in-memory");

	private final ApplicationContextRunner withBootMetrics = this.runner.withConfiguration(
			AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

	@Test
	void timesAcquisitionsByOutcomeAndHoldsByStaticLockName() {
		this.withBootMetrics.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			LockTemplate locks = context.getBean(LockTemplate.class);
			try (LockHandle held = locks.acquire(LockRequest.of("order:42"))) {
				assertThat(meters.get("distlock.held").tag("provider", "in-memory").gauge().value()).isEqualTo(1);
			}
			Timer acquired = meters.get("distlock.acquire")
				.tags("provider", "in-memory", "lock.name", "order", "outcome", "acquired")
				.timer();
			assertThat(acquired.count()).isEqualTo(1);
			assertThat(meters.get("distlock.hold").tags("provider", "in-memory", "lock.name", "order").timer().count())
				.isEqualTo(1);
			assertThat(meters.get("distlock.held").gauge().value()).isZero();
			assertThat(meters.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags())
				.noneMatch((tag) -> tag.getValue().equals("order:42")));
		});
	}

	@Test
	void countsRenewalsAndLostLeases() {
		this.withBootMetrics.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			LockHandle held = context.getBean(LockTemplate.class)
				.acquire(LockRequest.of("job:sync").leaseTime(Duration.ofMillis(600)));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> meters.find("distlock.renewals").tags("lock.name", "job").counter() != null
						&& meters.get("distlock.renewals").tags("lock.name", "job").counter().count() >= 1);
			context.getBean(LockProvider.class).forceRelease("job:sync");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> meters.find("distlock.leases.lost").tags("provider", "in-memory", "lock.name", "job").counter() != null);
			assertThat(meters.get("distlock.leases.lost").counter().count()).isEqualTo(1);
			held.close();
		});
	}

	@Test
	void worksWithoutARegistryBean() {
		this.runner.run((context) -> {
			assertThat(context).hasBean("distlockObservationContributor").hasBean("distlockMeterContributor");
			try (LockHandle held = context.getBean(LockTemplate.class).acquire(LockRequest.of("order:1"))) {
				assertThat(held.fencingToken()).isPositive();
			}
		});
	}

	@Test
	void observesWithoutMetersWhenOnlyTheObservationApiIsPresent() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core")).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasBean("distlockObservationContributor")
				.doesNotHaveBean("distlockMeterContributor")
				.doesNotHaveBean(HeldLocksMeterBinder.class);
			context.getBean(LockTemplate.class).acquire(LockRequest.of("order:1")).close();
		});
	}

	@Test
	void backsOffEntirelyWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(LockEngineObserverContributor.class)
				.doesNotHaveBean("distlockHeldLocksMeterBinder");
			context.getBean(LockTemplate.class).acquire(LockRequest.of("order:1")).close();
		});
	}

}
