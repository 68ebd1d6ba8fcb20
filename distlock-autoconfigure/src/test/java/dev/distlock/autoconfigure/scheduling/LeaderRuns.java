package dev.distlock.autoconfigure.scheduling;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** The runs of the leader-only job of every instance, in the order they started. */
final class LeaderRuns {

	private final List<Run> runs = new CopyOnWriteArrayList<>();

	private final Consumer<Run> onRun;

	LeaderRuns() {
		this((run) -> {
		});
	}

	/** @param onRun also told of every run (a child process prints it) */
	LeaderRuns(Consumer<Run> onRun) {
		this.onRun = onRun;
	}

	void record(String instance, long term) {
		Run run = new Run(instance, term);
		this.runs.add(run);
		this.onRun.accept(run);
	}

	long countBy(String instance) {
		return this.runs.stream().filter((run) -> run.instance().equals(instance)).count();
	}

	List<Run> all() {
		return List.copyOf(this.runs);
	}

	/** The instances that ran in each term. */
	Map<Long, java.util.Set<String>> instancesByTerm() {
		return this.runs.stream()
			.collect(Collectors.groupingBy(Run::term, java.util.TreeMap::new,
					Collectors.mapping(Run::instance, Collectors.toSet())));
	}

	/**
	 * @param instance the instance's name
	 * @param term the term it led in as the run started, {@code 0} if it did not lead
	 */
	record Run(String instance, long term) {

	}

}
