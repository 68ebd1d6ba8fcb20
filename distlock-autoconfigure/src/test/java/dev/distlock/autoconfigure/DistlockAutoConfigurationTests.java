package dev.distlock.autoconfigure;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import dev.distlock.DistributedLocked;
import dev.distlock.LockConfigurationException;
import dev.distlock.LockContext;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.engine.LockEngines;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration without a real backend: provider selection, properties, user beans, and that
 * annotated beans are intercepted.
 */
class DistlockAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class));

	@Test
	void failsWithAClearMessageWhenNoBackendIsPresent() {
		this.runner.run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(LockConfigurationException.class)
				.hasMessageContaining("distlock.provider=auto found no lock backend")
				.hasMessageContaining("distlock.provider=in-memory");
		});
	}

	@Test
	void usesTheInMemoryProviderWhenAskedExplicitly() {
		this.runner.withPropertyValues("distlock.provider=in-memory").run((context) -> {
			assertThat(context).hasSingleBean(LockProvider.class).hasSingleBean(LockTemplate.class);
			assertThat(context.getBean(LockProvider.class).id()).isEqualTo("in-memory");
			try (LockHandle handle = context.getBean(LockTemplate.class).acquire(LockRequest.of("order:1"))) {
				assertThat(handle.fencingToken()).isPositive();
			}
		});
	}

	@Test
	void backsOffEntirelyWhenDisabled() {
		this.runner.withPropertyValues("distlock.enabled=false", "distlock.provider=in-memory")
			.withUserConfiguration(LockedService.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(LockProvider.class).doesNotHaveBean(LockTemplate.class);
				assertThat(AopUtils.isAopProxy(context.getBean(LockedService.class))).isFalse();
			});
	}

	@Test
	void aUserDefinedProviderWins() {
		this.runner.withUserConfiguration(UserProvider.class).run((context) -> {
			assertThat(context).hasSingleBean(LockProvider.class);
			assertThat(context.getBean(LockProvider.class)).isSameAs(context.getBean(UserProvider.class).provider);
		});
	}

	@Test
	void severalUserProvidersNeedAPrimaryAndAnnotationsCanNameOne() {
		this.runner.withUserConfiguration(TwoProviders.class, SecondaryLockedService.class).run((context) -> {
			assertThat(context).hasNotFailed();
			LockEngines engines = context.getBean(LockEngines.class);
			assertThat(engines.providerNames()).containsExactlyInAnyOrder("mainProvider", "otherProvider");
			SecondaryLockedService service = context.getBean(SecondaryLockedService.class);
			service.run();
			assertThat(service.seenProvider()).isEqualTo("otherProvider-engine");
		});
	}

	@Test
	void rejectsAnUnknownProviderNameInAnAnnotationAtStartup() {
		this.runner.withPropertyValues("distlock.provider=in-memory")
			.withUserConfiguration(UnknownProviderService.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(LockConfigurationException.class)
					.hasMessageContaining(UnknownProviderService.class.getName() + ".run()")
					.hasMessageContaining("provider 'nope'");
			});
	}

	@Test
	void interceptsAnnotatedBeansAndExposesTheFencingToken() {
		this.runner.withPropertyValues("distlock.provider=in-memory")
			.withUserConfiguration(LockedService.class)
			.run((context) -> {
				LockedService service = context.getBean(LockedService.class);
				assertThat(AopUtils.isCglibProxy(service)).isTrue();
				assertThat(service.charge(42)).isPositive();
				assertThat(service.lastLockId()).isEqualTo(LockedService.class.getName() + ".charge:42");
			});
	}

	@Test
	void rejectsANonPositiveLeaseTimeProperty() {
		this.runner.withPropertyValues("distlock.provider=in-memory", "distlock.lease-time=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("distlock.lease-time must be positive");
		});
	}

	@Test
	void rejectsAScheduledMinHoldLongerThanTheScheduledLease() {
		this.runner
			.withPropertyValues("distlock.provider=in-memory", "distlock.scheduled.lease-time=1m",
					"distlock.scheduled.min-hold-time=2m")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("distlock.scheduled.min-hold-time")
					.hasMessageContaining("distlock.scheduled.lease-time");
			});
	}

	@Test
	void rejectsAnUnparseableDurationNamingTheProperty() {
		this.runner.withPropertyValues("distlock.provider=in-memory", "distlock.wait-time=soon").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasCauseInstanceOf(BeanCreationException.class);
			assertThat(bindFailure(context.getStartupFailure())).hasMessageContaining("distlock.wait-time");
		});
	}

	@Test
	void rejectsAnUnknownProviderValue() {
		this.runner.withPropertyValues("distlock.provider=consul").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(bindFailure(context.getStartupFailure())).hasMessageContaining("distlock.provider");
		});
	}

	/** The binding failure in the cause chain: Spring Boot's failure analyzer shows it with the property. */
	private static Throwable bindFailure(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof org.springframework.boot.context.properties.bind.BindException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a BindException in the cause chain of %s", failure).isNotNull();
		return cause;
	}

	@Test
	void bindsDurationsWithBootConversion() {
		this.runner.withPropertyValues("distlock.provider=in-memory", "distlock.lease-time=2m", "distlock.wait-time=1500ms",
				"distlock.instance-id=node-a")
			.run((context) -> {
				LockTemplate template = context.getBean(LockTemplate.class);
				try (LockHandle handle = template.acquire(LockRequest.of("x"))) {
					assertThat(handle.expiresAt()).isAfter(handle.acquiredAt().plusSeconds(119));
				}
				assertThat(context.getBean(LockEngines.class).primary().settings().instanceId()).isEqualTo("node-a");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class LockedService {

		final AtomicReference<String> lastLockId = new AtomicReference<>();

		@DistributedLocked(key = "#orderId")
		public long charge(long orderId) {
			LockHandle handle = LockContext.current().orElseThrow();
			this.lastLockId.set(handle.lockId());
			return handle.fencingToken();
		}

		public String lastLockId() {
			return this.lastLockId.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserProvider {

		final InMemoryLockProvider provider = new InMemoryLockProvider();

		@Bean
		LockProvider myProvider() {
			return this.provider;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoProviders {

		@Bean
		@Primary
		LockProvider mainProvider() {
			return new InMemoryLockProvider();
		}

		@Bean
		LockProvider otherProvider() {
			return new InMemoryLockProvider();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondaryLockedService {

		final AtomicReference<String> seenProvider = new AtomicReference<>();

		@org.springframework.beans.factory.annotation.Autowired
		LockEngines engines;

		@DistributedLocked(provider = "otherProvider")
		public void run() {
			Optional<LockHandle> held = LockContext.current();
			boolean onOther = this.engines.forProvider("otherProvider").heldLock(held.orElseThrow().lockId()).isPresent();
			this.seenProvider.set(onOther ? "otherProvider-engine" : "primary-engine");
		}

		public String seenProvider() {
			return this.seenProvider.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownProviderService {

		@DistributedLocked(provider = "nope")
		public void run() {
		}

	}

}
