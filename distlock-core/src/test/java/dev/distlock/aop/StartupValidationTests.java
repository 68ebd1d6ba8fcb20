package dev.distlock.aop;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.annotation.Scheduled;

import dev.distlock.DistributedLocked;
import dev.distlock.LockConfigurationException;
import dev.distlock.RunOnEveryNode;
import dev.distlock.memory.InMemoryLockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every locked method is validated when the application starts: a bad annotation fails the context
 * refresh with a {@link LockConfigurationException} naming the class, the method and the attribute.
 */
class StartupValidationTests {

	static Stream<Arguments> badAnnotations() {
		return Stream.of(
				Arguments.of(UnparseableKey.class, "work(long)", new String[] { "key '#id +'", "SpEL" }),
				Arguments.of(LeaseTimeNotADuration.class, "work()", new String[] { "leaseTime 'abc'", "not a duration" }),
				Arguments.of(ZeroLeaseTime.class, "work()", new String[] { "leaseTime", "positive" }),
				Arguments.of(NegativeWaitTime.class, "work()", new String[] { "waitTime", "negative" }),
				Arguments.of(MinHoldLongerThanLease.class, "work()", new String[] { "minHoldTime", "leaseTime" }),
				Arguments.of(UnknownProvider.class, "work()", new String[] { "provider 'nowhere'" }),
				Arguments.of(ZeroPermits.class, "work()", new String[] { "permits", "at least 1", "was 0" }),
				Arguments.of(NegativePermits.class, "work()", new String[] { "permits", "was -2" }),
				Arguments.of(PrivateMethod.class, "work()", new String[] { "private" }),
				Arguments.of(FinalMethod.class, "work()", new String[] { "final" }),
				Arguments.of(StaticMethod.class, "work()", new String[] { "static" }),
				Arguments.of(FinalClass.class, "work()", new String[] { "final class" }),
				Arguments.of(BothLockedAndOnEveryNode.class, "work()",
						new String[] { "@RunOnEveryNode", "@DistributedLocked" }),
				Arguments.of(UnresolvablePlaceholder.class, "work()",
						new String[] { "leaseTime '${distlock.test.missing}'" }),
				Arguments.of(PrivateScheduledJob.class, "tick()", new String[] { "private", "@RunOnEveryNode" }),
				Arguments.of(ScheduledIntervalNotADuration.class, "tick()", new String[] { "'often'" }),
				Arguments.of(LazyBeanWithBadLeaseTime.class, "work()", new String[] { "leaseTime 'soon'" }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badAnnotations")
	void aBadAnnotationFailsStartupNamingTheClassMethodAndAttribute(Class<?> component, String method,
			String[] attributeFragments) {
		assertThatThrownBy(() -> start(component)).satisfies((failure) -> {
			LockConfigurationException cause = configurationFailure(failure);
			assertThat(cause.getMessage()).contains(component.getName() + "." + method).contains(attributeFragments);
		});
	}

	@Test
	void aPlaceholderThatResolvesIsUsed() {
		try (ConfigurableApplicationContext context = start(ResolvablePlaceholder.class)) {
			LockOperation operation = context.getBean(LockOperationSource.class)
				.getOperation(method(ResolvablePlaceholder.class, "work"), ResolvablePlaceholder.class);
			assertThat(operation).isNotNull();
			assertThat(operation.leaseTime()).isEqualTo(Duration.ofSeconds(45));
			assertThat(operation.waitTime()).isEqualTo(Duration.ofMillis(1500));
		}
	}

	@Test
	void validAnnotationsStartAndAreParsedOnce() {
		try (ConfigurableApplicationContext context = start(ResolvablePlaceholder.class)) {
			LockOperationSource source = context.getBean(LockOperationSource.class);
			LockOperation first = source.getOperation(method(ResolvablePlaceholder.class, "work"),
					ResolvablePlaceholder.class);
			assertThat(source.getOperation(method(ResolvablePlaceholder.class, "work"), ResolvablePlaceholder.class))
				.isSameAs(first);
		}
	}

	private static ConfigurableApplicationContext start(Class<?> component) {
		return TestApplication.on(new InMemoryLockProvider())
			.property("distlock.test.lease", "45s")
			.property("distlock.test.wait", "1500ms")
			.start(component);
	}

	private static LockConfigurationException configurationFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof LockConfigurationException configuration) {
				return configuration;
			}
		}
		return fail("no LockConfigurationException in the causes of " + failure, failure);
	}

	private static Method method(Class<?> type, String name) {
		try {
			return type.getMethod(name);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static class UnparseableKey {

		@DistributedLocked(key = "#id +")
		public void work(long id) {
		}

	}

	public static class LeaseTimeNotADuration {

		@DistributedLocked(leaseTime = "abc")
		public void work() {
		}

	}

	public static class ZeroLeaseTime {

		@DistributedLocked(leaseTime = "0")
		public void work() {
		}

	}

	public static class NegativeWaitTime {

		@DistributedLocked(waitTime = "-1s")
		public void work() {
		}

	}

	public static class MinHoldLongerThanLease {

		@DistributedLocked(leaseTime = "30s", minHoldTime = "1m")
		public void work() {
		}

	}

	public static class UnknownProvider {

		@DistributedLocked(provider = "nowhere")
		public void work() {
		}

	}

	public static class ZeroPermits {

		@DistributedLocked(permits = 0)
		public void work() {
		}

	}

	public static class NegativePermits {

		@DistributedLocked(permits = -2)
		public void work() {
		}

	}

	public static class PrivateMethod {

		@DistributedLocked
		private void work() {
		}

	}

	public static class FinalMethod {

		@DistributedLocked
		public final void work() {
		}

	}

	public static class StaticMethod {

		@DistributedLocked
		public static void work() {
		}

	}

	public static final class FinalClass {

		@DistributedLocked
		public void work() {
		}

	}

	public static class BothLockedAndOnEveryNode {

		@DistributedLocked
		@RunOnEveryNode
		public void work() {
		}

	}

	public static class UnresolvablePlaceholder {

		@DistributedLocked(leaseTime = "${distlock.test.missing}")
		public void work() {
		}

	}

	public static class ResolvablePlaceholder {

		@DistributedLocked(leaseTime = "${distlock.test.lease}", waitTime = "${distlock.test.wait}")
		public void work() {
		}

	}

	public static class PrivateScheduledJob {

		@Scheduled(fixedRate = 60_000)
		private void tick() {
		}

	}

	public static class ScheduledIntervalNotADuration {

		@Scheduled(fixedRateString = "often")
		public void tick() {
		}

	}

	@Lazy
	public static class LazyBeanWithBadLeaseTime {

		@DistributedLocked(leaseTime = "soon")
		public void work() {
		}

	}

}
