package dev.distlock.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.convert.DurationStyle;

import dev.distlock.it.backend.Backend;
import dev.distlock.it.backend.DynamoDbBackend;
import dev.distlock.it.backend.EtcdBackend;
import dev.distlock.it.backend.MariaDbBackend;
import dev.distlock.it.backend.PostgresBackend;
import dev.distlock.it.backend.RedisBackend;
import dev.distlock.it.backend.RedlockBackend;
import dev.distlock.it.backend.ZooKeeperBackend;
import dev.distlock.it.harness.FaultKind;
import dev.distlock.it.harness.FaultReport;
import dev.distlock.it.harness.FaultRun;
import dev.distlock.it.harness.LedgerAudit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every provider under real faults: three worker JVMs × 8 threads contend for two locks and make a
 * fenced read-modify-write of a ledger row while a holder is SIGKILLed, a holder is SIGSTOPped past
 * its lease, the backend is restarted, a database backend's sessions are killed, and the backend is
 * SIGSTOPped. Whatever happens, no accepted write loses another's update, accepted tokens never go
 * back, no worker hangs, and the workers are granted again after each fault. The short mode (the test command) injects each fault once per
 * provider; {@code -Ddistlock.it.mode=long -Ddistlock.it.duration=10m} repeats them for that long
 * per provider. The table lands in {@code target/fault-report.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionIT {

	private static final Duration SHORT_CONTENTION = Duration.ofSeconds(2);

	private static final Duration LONG_CONTENTION = Duration.ofSeconds(20);

	private final FaultReport report = new FaultReport();

	private final boolean longMode = "long".equals(System.getProperty("distlock.it.mode", "short"));

	private final Path logs = Path.of("target", "fault-logs");

	private LedgerAudit ledger;

	@BeforeAll
	void ledger() throws IOException {
		Files.createDirectories(this.logs);
		this.ledger = new LedgerAudit();
	}

	@AfterAll
	void writeReport() {
		this.report.write(Path.of(System.getProperty("distlock.it.report", "target/fault-report.md")));
		System.out.println(this.report.markdown());
	}

	static Stream<Arguments> providers() {
		List<String> selected = Arrays.asList(System.getProperty("distlock.it.providers", "all").split(","));
		return Stream.<Arguments>of(provider("redis", RedisBackend::new), provider("redlock", RedlockBackend::new),
				provider("postgres", () -> new PostgresBackend("postgres")),
				provider("jdbc-table", () -> new PostgresBackend("jdbc-table")),
				provider("mysql", MariaDbBackend::new), provider("zookeeper", ZooKeeperBackend::start),
				provider("etcd", EtcdBackend::new), provider("dynamodb", DynamoDbBackend::new))
			.filter((arguments) -> selected.contains("all") || selected.contains(arguments.get()[0]));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("providers")
	void underEveryFaultNoAcceptedWriteLosesAnUpdateAndNoWorkerHangs(String provider, Supplier<Backend> backends)
			throws Exception {
		try (Backend backend = backends.get(); FaultRun run = new FaultRun(backend, this.ledger, this.logs)) {
			run.start();
			long end = System.nanoTime() + duration().toNanos();
			do {
				run.contend(this.longMode ? LONG_CONTENTION : SHORT_CONTENTION);
				run.killHolder();
				run.freezeHolder();
				run.restartBackend();
				if (run.hasSessions()) {
					run.killSessions();
				}
				run.freezeBackend();
			}
			while (this.longMode && System.nanoTime() - end < 0);
			// The workers stop before the audit, so no write is in flight when the counters are read.
			run.close();
			List<FaultReport.Row> rows = this.report.add(run);
			assertThat(run.problems()).as("%s: hangs, missed recoveries, tokens going back", provider).isEmpty();
			for (String lock : run.locks()) {
				List<LedgerAudit.Write> accepted = this.ledger.accepted(lock);
				assertThat(LedgerAudit.lostUpdates(accepted)).as("%s: accepted writes to %s that lost an update",
						provider, lock).isEmpty();
				assertThat(LedgerAudit.tokenRegressions(accepted)).as("%s: accepted tokens lower than an earlier one",
						provider).isZero();
				assertThat(this.ledger.counter(lock)).as("%s: %s's counter against its accepted writes", provider, lock)
					.isEqualTo(accepted.size());
			}
			assertThat(rows).allSatisfy((row) -> assertThat(row.accepted()).as("%s: writes accepted during %s",
					provider, row.fault()).isPositive());
			// A refusal is a second holder seen by the resource: only a frozen holder or a backend
			// that lost its locks (restarted empty, sessions ended) may cause one.
			assertThat(rows).filteredOn((row) -> row.fault() == FaultKind.CONTENTION
					|| row.fault() == FaultKind.HOLDER_KILLED)
				.allSatisfy((row) -> assertThat(row.refused()).as("%s: double grants during %s", provider, row.fault())
					.isZero());
		}
	}

	private static Arguments provider(String name, Supplier<Backend> backend) {
		return Arguments.of(name, backend);
	}

	private static Duration duration() {
		return DurationStyle.detectAndParse(System.getProperty("distlock.it.duration", "10m"));
	}

}
