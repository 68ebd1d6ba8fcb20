package dev.distlock.autoconfigure.scheduling;

import java.util.OptionalLong;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.distlock.LeaderElection;
import dev.distlock.LeaderOnly;
import dev.distlock.Leadership;

/**
 * One instance of an application with a {@code @LeaderOnly @Scheduled} job every 50 ms in the group
 * {@code test.group}; each run is recorded with the instance's name ({@code test.instance}) and the
 * term it leads in. The backend's auto-configuration comes from the test.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LeaderApplication {

	@Bean
	LeaderJob leaderJob(LeaderRuns runs, LeaderElection election, Environment environment) {
		return new LeaderJob(runs, election, environment.getRequiredProperty("test.instance"),
				environment.getRequiredProperty("test.group"));
	}

	/** The leader-only job. */
	static class LeaderJob {

		private final LeaderRuns runs;

		private final LeaderElection election;

		private final String instance;

		private final String group;

		LeaderJob(LeaderRuns runs, LeaderElection election, String instance, String group) {
			this.runs = runs;
			this.election = election;
			this.instance = instance;
			this.group = group;
		}

		@LeaderOnly(group = "${test.group}")
		@Scheduled(fixedRate = 50)
		void run() {
			OptionalLong term = this.election.joined().stream()
				.filter((joined) -> joined.group().equals(this.group))
				.findFirst()
				.map(Leadership::term)
				.orElse(OptionalLong.empty());
			this.runs.record(this.instance, term.isPresent() ? term.getAsLong() : 0);
		}

	}

}
