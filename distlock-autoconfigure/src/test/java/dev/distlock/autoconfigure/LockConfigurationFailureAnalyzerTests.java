package dev.distlock.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.distlock.DistributedLocked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A bad annotation stops the application with distlock's own message as the failure description.
 */
@ExtendWith(OutputCaptureExtension.class)
class LockConfigurationFailureAnalyzerTests {

	@Test
	void reportsABadAnnotationAsTheReasonTheApplicationDidNotStart(CapturedOutput output) {
		SpringApplication application = new SpringApplication(BadApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(java.util.Map.of("distlock.provider", "in-memory",
				"spring.autoconfigure.exclude",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"));
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("distlock configuration is invalid: @DistributedLocked on " + BadService.class.getName()
					+ ".work(): leaseTime 'soon' is not a duration");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(BadService.class)
	static class BadApplication {

	}

	static class BadService {

		@DistributedLocked(leaseTime = "soon")
		public void work() {
		}

	}

}
