package dev.distlock.autoconfigure.scheduling;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.support.GenericApplicationContext;

import dev.distlock.Leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leader-election contract on one provider, with three application instances (each with its
 * own backend client) in one group: exactly one leads; a step-down and a graceful shutdown of the
 * leader each hand leadership over within a second (asserted with slack for a loaded machine, the
 * measured time is logged) with a strictly larger term; sampled every 20 ms, never two leaders; the
 * {@code @LeaderOnly @Scheduled} job runs on the leader only.
 *
 * <p>Each provider's test extends this class and supplies its backend.
 */
abstract class LeaderElectionContractTests {

	private static final Logger logger = LoggerFactory.getLogger(LeaderElectionContractTests.class);

	/** The contract says one second; the assertion leaves slack for a loaded CI machine. */
	private static final Duration HANDOVER_BOUND = Duration.ofSeconds(3);

	private final LeaderRuns runs = new LeaderRuns();

	/** A prefix unique to this run, for key prefixes, table names and the group of shared servers. */
	protected final String unique = "leader" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	private LeaderInstances instances;

	private final List<String> doubleLeaders = new CopyOnWriteArrayList<>();

	private final AtomicInteger samples = new AtomicInteger();

	private volatile boolean sampling;

	private Thread sampler;

	/** The configuration classes that give an instance its backend (client auto-configuration + distlock's). */
	protected abstract Class<?>[] backendConfiguration();

	/** The properties that point an instance at the backend (each instance gets its own client). */
	protected abstract String[] backendProperties();

	/** Adds beans an instance needs beyond configuration, e.g. a provider shared by all instances. */
	protected void contribute(GenericApplicationContext context) {
	}

	@BeforeEach
	void startSampling() {
		this.instances = new LeaderInstances(this.runs, this.unique, backendConfiguration(), backendProperties(),
				this::contribute);
		this.sampling = true;
		this.sampler = new Thread(this::sample, "leader-sampler");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	@AfterEach
	void closeInstances() throws InterruptedException {
		this.sampling = false;
		this.sampler.join(5000);
		this.instances.close();
	}

	@Test
	void exactlyOneOfThreeLeadsAndStepDownAndShutdownHandOverWithLargerTermsNeverTwoAtOnce() throws Exception {
		this.instances.start("a");
		this.instances.start("b");
		this.instances.start("c");
		String first = awaitSingleLeader(null);
		long firstTerm = term(first);

		long steppedDownAt = System.nanoTime();
		this.instances.memberships().get(first).stepDown();
		String second = awaitSingleLeader(first);
		Duration stepDownHandover = Duration.ofNanos(System.nanoTime() - steppedDownAt);
		long secondTerm = term(second);
		assertThat(secondTerm).as("the term after the step-down").isGreaterThan(firstTerm);

		long closedAt = System.nanoTime();
		this.instances.close(second);
		String third = awaitSingleLeader(second);
		Duration shutdownHandover = Duration.ofNanos(System.nanoTime() - closedAt);
		long thirdTerm = term(third);
		assertThat(thirdTerm).as("the term after the leader shut down").isGreaterThan(secondTerm);

		assertThat(stepDownHandover).as("handover after a step-down").isLessThan(HANDOVER_BOUND);
		assertThat(shutdownHandover).as("handover after a graceful shutdown").isLessThan(HANDOVER_BOUND);
		logger.info("[leader-handover] {} stepDown={}ms shutdown={}ms terms={},{},{} samples={}",
				getClass().getSimpleName(), stepDownHandover.toMillis(), shutdownHandover.toMillis(), firstTerm,
				secondTerm, thirdTerm, this.samples.get());
		// The sampler keeps watching the new leader and its remaining rival for a while.
		int sampled = this.samples.get();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.samples.get() >= sampled + 10);
		assertThat(this.doubleLeaders).as("samples with two leaders").isEmpty();
	}

	@Test
	void leaderOnlyScheduledJobRunsOnTheLeaderOnly() throws Exception {
		this.instances.start("a");
		this.instances.start("b");
		String leader = awaitSingleLeader(null);
		String other = leader.equals("a") ? "b" : "a";
		long leaderTerm = term(leader);
		long leaderRuns = this.runs.countBy(leader);
		long otherRuns = this.runs.countBy(other);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.runs.countBy(leader) >= leaderRuns + 10);
		assertThat(this.runs.countBy(other)).as("runs of the instance that does not lead").isEqualTo(otherRuns);

		this.instances.memberships().get(leader).stepDown();
		awaitSingleLeader(leader);
		long otherRunsAfterHandover = this.runs.countBy(other);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.runs.countBy(other) >= otherRunsAfterHandover + 10);

		Map<Long, Set<String>> byTerm = this.runs.instancesByTerm();
		assertThat(byTerm.keySet()).as("terms of the runs").doesNotContain(0L).contains(leaderTerm);
		assertThat(byTerm.values()).as("instances that ran per term").allSatisfy((ran) -> assertThat(ran).hasSize(1));
		assertThat(this.doubleLeaders).as("samples with two leaders").isEmpty();
	}

	/** Waits until exactly one instance, other than the given one, leads. */
	private String awaitSingleLeader(String notThisOne) {
		AtomicReference<String> leader = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> {
			List<String> leaders = leaders();
			if (leaders.size() == 1 && !leaders.get(0).equals(notThisOne)) {
				leader.set(leaders.get(0));
				return true;
			}
			return false;
		});
		return leader.get();
	}

	private long term(String instance) {
		return this.instances.memberships().get(instance).term().orElseThrow();
	}

	private List<String> leaders() {
		return this.instances.memberships().entrySet().stream().filter((entry) -> entry.getValue().isLeader())
			.map(Map.Entry::getKey).toList();
	}

	private void sample() {
		while (this.sampling) {
			Map<String, Leadership> memberships = this.instances.memberships();
			List<String> leaders = memberships.entrySet().stream().filter((entry) -> entry.getValue().isLeader())
				.map(Map.Entry::getKey).toList();
			if (leaders.size() > 1) {
				this.doubleLeaders.add(leaders.toString());
			}
			this.samples.incrementAndGet();
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

}
