package dev.distlock.autoconfigure;

import java.time.Duration;

import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.etcd.EtcdLockProvider;
import dev.distlock.spi.LockProvider;
import dev.distlock.test.server.EtcdCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code distlock.provider} picks etcd from a jetcd {@code Client} bean or
 * {@code distlock.etcd.endpoints}, on a real single-member etcd of the test's own.
 */
class EtcdProviderSelectionTests {

	private static EtcdCluster etcd;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "org.apache.curator"));

	@BeforeAll
	static void startEtcd() {
		etcd = EtcdCluster.start(1);
	}

	@AfterAll
	static void stopEtcd() {
		if (etcd != null) {
			etcd.close();
		}
	}

	@Test
	void autoBuildsItsOwnEtcdClientFromTheEndpoints() {
		this.runner.withPropertyValues("distlock.etcd.endpoints=" + etcd.endpoints(), "distlock.etcd.key-prefix=/sel/")
			.run((context) -> {
				assertLocksWith(context.getBean(LockTemplate.class), context.getBean(LockProvider.class));
				assertThat(context.getBean(EtcdLockProvider.class).keyPrefix()).isEqualTo("/sel/");
			});
	}

	@Test
	void autoUsesTheApplicationsClientBeanOverTheEndpointsAndLeavesItOpen() {
		this.runner.withUserConfiguration(UserClient.class)
			.withPropertyValues("distlock.etcd.endpoints=http://127.0.0.1:1")
			.run((context) -> {
				assertLocksWith(context.getBean(LockTemplate.class), context.getBean(LockProvider.class));
				context.getBean(LockProvider.class).close();
				assertThat(context.getBean(Client.class).getKVClient().get(io.etcd.jetcd.ByteSequence.from(
						"/distlock/x", java.nio.charset.StandardCharsets.UTF_8)).get(10, java.util.concurrent.TimeUnit.SECONDS))
					.as("the application's client still works").isNotNull();
			});
	}

	@Test
	void explicitEtcdWithoutEndpointsOrClientFailsNamingWhatIsMissing() {
		this.runner.withPropertyValues("distlock.provider=etcd").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("distlock.provider=etcd cannot be used")
				.hasMessageContaining("distlock.etcd.endpoints");
		});
	}

	@Test
	void aMalformedEndpointFailsAtStartupNamingTheProperty() {
		this.runner.withPropertyValues("distlock.etcd.endpoints=127.0.0.1:2379").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("distlock.etcd.endpoints")
				.hasMessageContaining("127.0.0.1:2379");
		});
	}

	@Test
	void aSessionTtlBelowOneSecondIsRefusedAtStartup() {
		this.runner.withPropertyValues("distlock.etcd.endpoints=" + etcd.endpoints(), "distlock.etcd.session-ttl=500ms")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("distlock.etcd.session-ttl"));
	}

	@Test
	void withoutJetcdOnTheClasspathTheEndpointsDoNotSelectEtcd() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "org.apache.curator",
				"io.etcd.jetcd"))
			.withPropertyValues("distlock.etcd.endpoints=" + etcd.endpoints())
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("found no lock backend")
				.hasMessageContaining("etcd: distlock-etcd with jetcd-core is not on the classpath"));
	}

	private static void assertLocksWith(LockTemplate template, LockProvider provider) {
		assertThat(provider.id()).isEqualTo("etcd");
		String lockId = "selection-etcd-" + System.nanoTime();
		try (LockHandle handle = template.acquire(LockRequest.of(lockId).leaseTime(Duration.ofSeconds(10)))) {
			assertThat(handle.fencingToken()).isPositive();
			assertThat(handle.isValid()).isTrue();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClient {

		@Bean(destroyMethod = "close")
		Client etcdClient() {
			return Client.builder().endpoints(etcd.endpoints().split(",")).build();
		}

	}

}
