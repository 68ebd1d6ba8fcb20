package dev.distlock.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;

import dev.distlock.it.harness.LedgerAudit.Refusal;
import dev.distlock.it.harness.LedgerAudit.Write;

/**
 * The suite's results table: per provider and fault, what the workers did and what the resource
 * saw. Written as Markdown to a file and standard output.
 */
public final class FaultReport {

	private final List<Row> rows = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	/**
	 * One provider × fault.
	 * @param provider the provider
	 * @param fault the fault
	 * @param injected how many times it was injected
	 * @param operations accepted plus refused writes in its windows
	 * @param accepted writes the fence accepted
	 * @param lateWrites writes by a holder whose critical section outlived its lease, accepted or not
	 * @param refused late writes the fence refused: each one a second grant, seen (and stopped) by the resource
	 * @param lostUpdates accepted writes that lost another's update (must be 0)
	 * @param failedCalls acquires or writes that failed (fail closed) during its windows
	 * @param leasesLost leases the holders' engines declared lost
	 * @param slowestCallMillis the longest call that failed (fail closed): how long a fault can hold a caller
	 * @param earlyGrants grants while another process still held the lock with a lease it counted valid
	 * @param recoveryMillis from the fault to the next grant, each injection
	 */
	public record Row(String provider, FaultKind fault, int injected, long operations, long accepted,
			long lateWrites, long refused, long lostUpdates, long failedCalls, long leasesLost,
			long slowestCallMillis, long earlyGrants, long[] recoveryMillis) {

		String recovery() {
			if (this.recoveryMillis.length == 0) {
				return "—";
			}
			long[] sorted = this.recoveryMillis.clone();
			Arrays.sort(sorted);
			return sorted[(sorted.length - 1) / 2] + " / " + sorted[sorted.length - 1];
		}

	}

	/** Adds a provider's rows, one per fault it suffered, from its run's windows, events and ledger. */
	public List<Row> add(FaultRun run) {
		List<Write> writes = new ArrayList<>();
		List<Refusal> refusals = new ArrayList<>();
		List<Write> lost = new ArrayList<>();
		for (String lock : run.locks()) {
			List<Write> accepted = run.ledger().accepted(lock);
			writes.addAll(accepted);
			lost.addAll(LedgerAudit.lostUpdates(accepted));
			refusals.addAll(run.ledger().refused(lock));
		}
		List<FaultRun.EarlyGrant> early = run.locks().stream().flatMap((lock) -> run.earlyGrants(lock).stream()).toList();
		List<Row> added = new ArrayList<>();
		for (FaultKind kind : FaultKind.values()) {
			List<FaultWindow> windows = run.windows().stream().filter((w) -> w.kind() == kind).toList();
			if (windows.isEmpty()) {
				continue;
			}
			LongPredicate inWindow = (at) -> windows.stream().anyMatch((w) -> w.contains(at));
			long accepted = writes.stream().filter((w) -> inWindow.test(w.at())).count();
			long refused = refusals.stream().filter((r) -> inWindow.test(r.at())).count();
			long lateAccepted = writes.stream().filter((w) -> w.late() && inWindow.test(w.at())).count();
			long lostHere = lost.stream().filter((w) -> inWindow.test(w.at())).count();
			long failed = run.events((e) -> e.is("FAIL") && inWindow.test(e.at())).size();
			long leasesLost = run.events((e) -> e.is("LOST") && inWindow.test(e.at())).size();
			long slowest = run.events((e) -> e.is("FAIL") && inWindow.test(e.at())).stream()
				.mapToLong(WorkerEvent::value).max().orElse(0);
			long[] recovery = windows.stream().flatMap((w) -> w.recoveryMillis().stream()).mapToLong(Long::longValue)
				.toArray();
			Row row = new Row(run.provider(), kind, (kind == FaultKind.CONTENTION) ? 0 : (int) windows.stream().filter(FaultWindow::landed).count(),
					accepted + refused, accepted, lateAccepted + refused, refused, lostHere, failed, leasesLost,
					slowest, early.stream().filter((g) -> inWindow.test(g.at())).count(), recovery);
			this.rows.add(row);
			added.add(row);
		}
		this.notes.add("`" + run.provider() + "` backend restart: " + run.restartFault());
		run.starved().forEach((starved) -> this.notes.add("`" + run.provider() + "` starved: " + starved));
		return added;
	}

	/** The table as Markdown. */
	public String markdown() {
		StringBuilder out = new StringBuilder();
		out.append("| provider | fault | injected | writes | accepted | late writes | refused (double grants"
				+ " stopped at the resource) | lost updates | failed calls | leases declared lost |"
				+ " slowest failed call (ms) | granted while the holder's lease was valid | recovery p50 / max (ms) |\n");
		out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (Row row : this.rows) {
			out.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s |%n",
					row.provider(), row.fault().description(), (row.injected() == 0) ? "—" : row.injected(),
					row.operations(), row.accepted(), row.lateWrites(), row.refused(), row.lostUpdates(),
					row.failedCalls(), row.leasesLost(), row.slowestCallMillis(), row.earlyGrants(), row.recovery()));
		}
		out.append('\n');
		this.notes.forEach((note) -> out.append("- ").append(note).append('\n'));
		return out.toString();
	}

	public void write(Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, markdown());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the fault report to " + file, ex);
		}
	}

}
