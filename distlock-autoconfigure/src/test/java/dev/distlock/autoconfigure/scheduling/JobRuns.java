package dev.distlock.autoconfigure.scheduling;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** What the scheduled jobs of all instances in one JVM did: each run's instance and tick. */
final class JobRuns {

	private final List<Run> runs = new CopyOnWriteArrayList<>();

	private final AtomicInteger concurrent = new AtomicInteger();

	private final AtomicInteger maxConcurrent = new AtomicInteger();

	private volatile long endedAtNanos;

	private final Consumer<Run> onStart;

	JobRuns() {
		this((run) -> {
		});
	}

	/** @param onStart told of every run as it starts */
	JobRuns(Consumer<Run> onStart) {
		this.onStart = onStart;
	}

	/**
	 * Records a run. The tick is the instance's own clock when the scheduler fired it, rounded to the
	 * nearest second: independent of how distlock computes slots, so a slot computed wrongly shows.
	 */
	void started(String instance, long firedAtMillis, long startedAtMillis) {
		this.maxConcurrent.accumulateAndGet(this.concurrent.incrementAndGet(), Math::max);
		Run run = new Run(instance, Math.round(firedAtMillis / 1000.0), firedAtMillis, startedAtMillis);
		this.runs.add(run);
		this.onStart.accept(run);
	}

	void ended() {
		this.concurrent.decrementAndGet();
		this.endedAtNanos = System.nanoTime();
	}

	/** Whether a run is going right now. */
	boolean running() {
		return this.concurrent.get() > 0;
	}

	/** {@link System#nanoTime()} when the last run ended. */
	long endedAtNanos() {
		return this.endedAtNanos;
	}

	List<Run> all() {
		return List.copyOf(this.runs);
	}

	/** The instances that ran each tick, in tick order. */
	TreeMap<Long, List<String>> byTick() {
		return this.runs.stream()
			.collect(Collectors.groupingBy(Run::tick, TreeMap::new,
					Collectors.mapping(Run::instance, Collectors.toList())));
	}

	long countBy(String instance) {
		return this.runs.stream().filter((run) -> run.instance().equals(instance)).count();
	}

	int maxConcurrent() {
		return this.maxConcurrent.get();
	}

	Map<String, Long> runsPerInstance() {
		return this.runs.stream().collect(Collectors.groupingBy(Run::instance, TreeMap::new, Collectors.counting()));
	}

	/**
	 * @param instance the instance that ran
	 * @param tick the fire second by the instance's clock
	 * @param firedAtMillis when the scheduler fired it, by the instance's clock
	 * @param startedAtMillis when the job's body started, by the instance's clock
	 */
	record Run(String instance, long tick, long firedAtMillis, long startedAtMillis) {
	}

}
