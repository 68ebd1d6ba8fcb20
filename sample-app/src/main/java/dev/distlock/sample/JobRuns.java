package dev.distlock.sample;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Where the report job records its runs.
 */
@Repository
public class JobRuns {

	private final JdbcClient jdbc;

	public JobRuns(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void record(String instance, Instant fireTime, long fencingToken) {
		this.jdbc.sql("INSERT INTO job_runs (instance_id, fire_time, fencing_token) VALUES (?, ?, ?)")
			.params(instance, Timestamp.from(fireTime), fencingToken)
			.update();
	}

	public List<JobRun> recent(int limit) {
		return this.jdbc
			.sql("SELECT instance_id, fire_time, fencing_token FROM job_runs ORDER BY fire_time DESC, fencing_token DESC")
			.query((rs, row) -> new JobRun(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getLong(3)))
			.list()
			.stream()
			.limit(limit)
			.toList();
	}

	/** One run of the job. */
	public record JobRun(String instance, Instant fireTime, long fencingToken) {
	}

}
