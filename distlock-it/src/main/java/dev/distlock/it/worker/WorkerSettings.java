package dev.distlock.it.worker;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What one worker process does ({@code worker.*}).
 * @param name the worker's name in the ledger and the report
 * @param lockIds the locks its threads contend for, each iteration one picked at random
 * @param threads threads contending at once
 * @param workTime the gap between reading the ledger row and writing it back, inside the lock
 * @param leaseTime each lock's lease (renewed while held)
 * @param waitTime how long one acquire waits for a busy lock
 * @param ledger where the fenced ledger lives
 */
@ConfigurationProperties("worker")
public record WorkerSettings(String name, List<String> lockIds, @DefaultValue("8") int threads,
		@DefaultValue("20ms") Duration workTime, @DefaultValue("2s") Duration leaseTime,
		@DefaultValue("5s") Duration waitTime, Ledger ledger) {

	/**
	 * The ledger's database: not the lock backend, which the suite restarts and freezes.
	 * @param url its JDBC URL
	 * @param username its user
	 * @param password its password
	 */
	public record Ledger(String url, @DefaultValue("postgres") String username, @DefaultValue("") String password) {
	}

}
