package dev.distlock.autoconfigure;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.distlock.LockConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every {@code distlock.*} duration property, bound with Spring Boot's conversion: a value that is not
 * a duration, or one distlock cannot use (zero or negative where it must be positive), fails startup
 * with a message naming the property.
 */
class DurationPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
		.withPropertyValues("distlock.provider=in-memory");

	/** Durations that must be positive. */
	static Stream<String> positiveDurations() {
		return Stream.of("distlock.lease-time", "distlock.leader.lease-time", "distlock.scheduled.lease-time",
				"distlock.zookeeper.session-timeout", "distlock.zookeeper.connection-timeout",
				"distlock.etcd.session-ttl", "distlock.etcd.request-timeout", "distlock.redis.wait-timeout");
	}

	/** Durations for which zero is meaningful ("do not wait", "no minimum hold", "no skew"). */
	static Stream<String> notNegativeDurations() {
		return Stream.of("distlock.wait-time", "distlock.scheduled.min-hold-time",
				"distlock.scheduled.max-clock-skew");
	}

	static Stream<String> allDurations() {
		return Stream.concat(positiveDurations(), notNegativeDurations());
	}

	static Stream<Arguments> nonPositiveValuesOfPositiveDurations() {
		return positiveDurations().flatMap((property) -> Stream.of(Arguments.of(property, "0s"),
				Arguments.of(property, "-1s")));
	}

	@ParameterizedTest(name = "{0}=abc")
	@MethodSource("allDurations")
	void aValueThatIsNotADurationFailsStartupNamingTheProperty(String property) {
		this.runner.withPropertyValues(property + "=abc").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(bindFailure(context.getStartupFailure())).hasMessageContaining(property);
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("nonPositiveValuesOfPositiveDurations")
	void aZeroOrNegativeValueOfAPositiveDurationFailsStartupNamingTheProperty(String property, String value) {
		this.runner.withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(configurationFailure(context.getStartupFailure())).hasMessageContaining(property);
		});
	}

	@ParameterizedTest(name = "{0}=-1s")
	@MethodSource("notNegativeDurations")
	void aNegativeValueFailsStartupNamingTheProperty(String property) {
		this.runner.withPropertyValues(property + "=-1s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(configurationFailure(context.getStartupFailure())).hasMessageContaining(property)
				.hasMessageContaining("negative");
		});
	}

	@ParameterizedTest(name = "{0}=0s")
	@MethodSource("notNegativeDurations")
	void zeroIsAcceptedWhereItMeansNone(String property) {
		this.runner.withPropertyValues(property + "=0s").run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest(name = "distlock.redis.wait-timeout={0}")
	@ValueSource(strings = { "61s", "1h" })
	void aReplicaWaitLongerThanAMinuteFailsStartupNamingTheProperty(String value) {
		this.runner.withPropertyValues("distlock.redis.wait-timeout=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(configurationFailure(context.getStartupFailure()))
				.hasMessageContaining("distlock.redis.wait-timeout");
		});
	}

	/** The binding failure in the cause chain: Spring Boot's failure analyzer shows it with the property. */
	private static BindException bindFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindException bind) {
				return bind;
			}
		}
		return fail("no BindException in the causes of " + failure, failure);
	}

	private static LockConfigurationException configurationFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof LockConfigurationException configuration) {
				return configuration;
			}
		}
		return fail("no LockConfigurationException in the causes of " + failure, failure);
	}

}
