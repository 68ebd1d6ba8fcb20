package dev.distlock.benchmarks;

import java.util.UUID;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.distlock.DistributedLocked;

/**
 * distlock as most applications use it: a {@link DistributedLocked} bean method in a Spring Boot
 * application auto-configured for Redis (one application context per instance).
 */
final class AnnotatedMethodLock implements LockUnderTest {

	private final ConfigurableApplicationContext context;

	private final LockedSection section;

	AnnotatedMethodLock(String redisUrl, String provider) {
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.bannerMode(org.springframework.boot.Banner.Mode.OFF)
			.properties("spring.data.redis.url=" + redisUrl, "spring.data.redis.timeout=5s",
					"distlock.provider=" + provider, "distlock.redis.key-prefix=distlock-bench:",
					"distlock.instance-id=bench-" + UUID.randomUUID().toString().substring(0, 8),
					"spring.main.register-shutdown-hook=false")
			.run();
		this.section = this.context.getBean(LockedSection.class);
	}

	@Override
	public long runLocked(String key, Runnable section) {
		return this.section.run(key, System.nanoTime(), section);
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(LockedSection.class)
	static class Application {

	}

	/** The annotated bean. */
	static class LockedSection {

		/** @return nanoseconds from the call to entering the method (acquire, through the proxy) */
		@DistributedLocked(key = "#key", waitTime = "60s")
		public long run(String key, long calledAt, Runnable section) {
			long waited = System.nanoTime() - calledAt;
			section.run();
			return waited;
		}

	}

}
