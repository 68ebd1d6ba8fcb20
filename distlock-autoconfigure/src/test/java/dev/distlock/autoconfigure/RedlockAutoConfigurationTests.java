package dev.distlock.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.redis.RedisLockProvider;
import dev.distlock.redis.redlock.RedlockProvider;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code distlock.provider=redlock} with {@code distlock.redlock.nodes}, and the Redis replica
 * properties. The three "independent" nodes are three databases of the shared Redis: enough to
 * wire and lock, not to test independence (distlock-redis does that on private servers).
 */
class RedlockAutoConfigurationTests {

	private static final String REDIS = ProviderSelectionTests.REDIS_URL;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withClassLoader(new FilteredClassLoader("org.apache.curator"))
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DistlockAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=" + REDIS, "distlock.redis.key-prefix=distlock-redlock-autoconf:");

	@Test
	void providerRedlockLocksOnTheListedNodes() {
		this.runner
			.withPropertyValues("distlock.provider=redlock",
					"distlock.redlock.nodes=" + REDIS + "/1, " + REDIS + "/2, " + REDIS + "/3")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedlockProvider provider = context.getBean(RedlockProvider.class);
				assertThat(provider.id()).isEqualTo("redlock");
				assertThat(provider.quorum()).isEqualTo(2);
				try (LockHandle handle = context.getBean(LockTemplate.class)
					.acquire(LockRequest.of("wired").leaseTime(Duration.ofSeconds(10)))) {
					assertThat(handle.fencingToken()).isPositive();
				}
			});
	}

	@Test
	void fewerThanThreeNodesFailStartupNamingTheProperty() {
		this.runner.withPropertyValues("distlock.provider=redlock", "distlock.redlock.nodes=" + REDIS + "/1," + REDIS + "/2")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("distlock.redlock.nodes needs at least 3"));
	}

	@Test
	void autoNeverChoosesRedlockEvenWithNodesSet() {
		this.runner.withPropertyValues("distlock.redlock.nodes=" + REDIS + "/1, " + REDIS + "/2, " + REDIS + "/3")
			.run((context) -> assertThat(context.getBean(LockProvider.class)).isInstanceOf(RedisLockProvider.class));
	}

	@Test
	void aNegativeWaitForReplicasFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("distlock.redis.wait-for-replicas=-1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("distlock.redis.wait-for-replicas"));
	}

}
