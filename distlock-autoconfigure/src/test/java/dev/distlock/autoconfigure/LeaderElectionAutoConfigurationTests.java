package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.LeaderElection;
import dev.distlock.LeaderOnly;
import dev.distlock.Leadership;
import dev.distlock.LeadershipGrantedEvent;
import dev.distlock.LeadershipRevokedEvent;
import dev.distlock.LockConfigurationException;
import dev.distlock.RunOnEveryNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configured {@link LeaderElection} and {@link LeaderOnly}: groups joined at startup,
 * events, skipping on non-leaders, and startup validation naming the method.
 */
class LeaderElectionAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
		.withPropertyValues("distlock.provider=in-memory", "distlock.leader.lease-time=2s");

	@Test
	void joinsTheGroupOfEveryLeaderOnlyMethodAtStartupAndRunsItOnlyWhileLeading() {
		this.runner.withUserConfiguration(Jobs.class).run((context) -> {
			assertThat(context).hasNotFailed();
			Leadership leadership = context.getBean(LeaderElection.class).joined().get(0);
			assertThat(leadership.group()).isEqualTo("reports");
			assertThat(leadership.awaitLeadership(Duration.ofSeconds(10))).isTrue();
			Jobs.Job job = context.getBean(Jobs.Job.class);
			assertThat(job.work()).as("result on the leader").isEqualTo(42);
			long term = leadership.term().getAsLong();

			leadership.stepDown();
			assertThat(leadership.isLeader()).isFalse();
			assertThat(job.work()).as("result while not leading, as IfLocked.SKIP returns").isZero();
			Events events = context.getBean(Events.class);
			assertThat(events.received).anySatisfy((event) -> assertThat(event)
				.isInstanceOfSatisfying(LeadershipGrantedEvent.class, (granted) -> {
					assertThat(granted.group()).isEqualTo("reports");
					assertThat(granted.term()).isEqualTo(term);
				}))
				.anySatisfy((event) -> assertThat(event)
					.isInstanceOfSatisfying(LeadershipRevokedEvent.class, (revoked) -> {
						assertThat(revoked.term()).isEqualTo(term);
						assertThat(revoked.reason()).isEqualTo("stepped down");
					}));
			// Alone in the group, it leads again after the lease, with a larger term.
			await().atMost(Duration.ofSeconds(10)).until(leadership::isLeader);
			assertThat(leadership.term().getAsLong()).isGreaterThan(term);
		});
	}

	@Test
	void theDefaultGroupIsTheApplicationName() {
		this.runner.withUserConfiguration(DefaultGroupJob.class)
			.withPropertyValues("spring.application.name=billing")
			.run((context) -> assertThat(context.getBean(LeaderElection.class).joined())
				.extracting(Leadership::group).containsExactly("billing"));
		this.runner.withUserConfiguration(DefaultGroupJob.class)
			.run((context) -> assertThat(context.getBean(LeaderElection.class).joined())
				.extracting(Leadership::group).containsExactly("default"));
	}

	@Test
	void aPrivateLeaderOnlyMethodFailsStartupNamingTheMethod() {
		this.runner.withUserConfiguration(PrivateJob.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(LockConfigurationException.class)
				.hasMessageContaining("@LeaderOnly on " + PrivateJob.class.getName() + ".work()")
				.hasMessageContaining("is private");
		});
	}

	@Test
	void leaderOnlyWithRunOnEveryNodeFailsStartupNamingTheMethod() {
		this.runner.withUserConfiguration(EveryNodeJob.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("@LeaderOnly on " + EveryNodeJob.class.getName() + ".work()")
				.hasMessageContaining("@RunOnEveryNode");
		});
	}

	@Test
	void aBlankGroupFailsStartupNamingTheMethod() {
		this.runner.withUserConfiguration(BlankGroupJob.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("@LeaderOnly on " + BlankGroupJob.class.getName() + ".work()")
				.hasMessageContaining("blank");
		});
	}

	@Test
	void aNonPositiveLeaderLeaseTimeFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("distlock.leader.lease-time=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("distlock.leader.lease-time must be positive");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Jobs {

		@Bean
		Job job() {
			return new Job();
		}

		@Bean
		Events events() {
			return new Events();
		}

		static class Job {

			@LeaderOnly(group = "reports")
			public int work() {
				return 42;
			}

		}

	}

	static class Events implements ApplicationListener<ApplicationEvent> {

		final List<ApplicationEvent> received = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof LeadershipGrantedEvent || event instanceof LeadershipRevokedEvent) {
				this.received.add(event);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DefaultGroupJob {

		@LeaderOnly
		public void work() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrivateJob {

		@LeaderOnly(group = "reports")
		private void work() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EveryNodeJob {

		@LeaderOnly(group = "reports")
		@RunOnEveryNode
		public void work() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BlankGroupJob {

		@LeaderOnly(group = " ")
		public void work() {
		}

	}

}
