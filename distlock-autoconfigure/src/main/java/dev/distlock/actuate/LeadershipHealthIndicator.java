package dev.distlock.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.distlock.Leadership;
import dev.distlock.leader.LockLeaderElection;

/**
 * Health of leader election: per joined group whether this instance leads it and its term, and for
 * a group whose lock backend did not answer the last campaign or renewal, the error — then
 * {@code DOWN}, since the group may have no leader while it campaigns with back-off.
 */
public class LeadershipHealthIndicator implements HealthIndicator {

	private final LockLeaderElection election;

	public LeadershipHealthIndicator(LockLeaderElection election) {
		this.election = election;
	}

	@Override
	public Health health() {
		Map<String, String> unreachable = this.election.unreachableGroups();
		Map<String, Object> groups = new LinkedHashMap<>();
		for (Leadership leadership : this.election.joined()) {
			Map<String, Object> group = new LinkedHashMap<>();
			OptionalLong term = leadership.term();
			group.put("leader", term.isPresent());
			if (term.isPresent()) {
				group.put("term", term.getAsLong());
			}
			String problem = unreachable.get(leadership.group());
			if (problem != null) {
				group.put("error", "campaigning with back-off: " + problem);
			}
			groups.put(leadership.group(), group);
		}
		Health.Builder builder = unreachable.isEmpty() ? Health.up() : Health.down();
		return builder.withDetail("groups", groups).build();
	}

}
