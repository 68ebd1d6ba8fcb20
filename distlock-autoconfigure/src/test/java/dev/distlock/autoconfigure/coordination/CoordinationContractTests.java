package dev.distlock.autoconfigure.coordination;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import dev.distlock.LockHandle;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.LockRequest;
import dev.distlock.autoconfigure.coordination.CoordinationApplication.PartnerApi;
import dev.distlock.autoconfigure.coordination.CoordinationApplication.Transfers;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Permits and several keys at once on one provider, through real application contexts: three
 * instances, each with its own backend client, four threads each.
 * <ul>
 * <li>Permits: a partner API with {@code permits = 3} is never held by more than three callers at
 * once and is held by three at some point; fencing tokens never repeat; a holder re-enters without
 * a second permit.</li>
 * <li>Several keys: random transfers in both argument orders between accounts stored as rows of a
 * real PostgreSQL table, read and written non-atomically: no deadlock, money conserved, every
 * account's balance as the completed transfers say (no lost update); ids 9 and 10 are locked in
 * string order ({@code 10} first); a transfer whose second account stays busy takes nothing.</li>
 * </ul>
 * Each provider's test extends this class and supplies its backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CoordinationContractTests {

	private static final int INSTANCES = 3;

	private static final int THREADS = 4;

	private static final List<Long> ACCOUNTS = List.of(8L, 9L, 10L, 11L);

	private static final long OPENING_BALANCE = 1_000;

	/** A prefix unique to this run, for lock names, key prefixes and table names of shared servers. */
	protected final String unique = "coord" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	private final PermitRecorder recorder = new PermitRecorder();

	private final Bank bank = new Bank(this.unique + "_accounts");

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final ExecutorService threads = Executors.newFixedThreadPool(INSTANCES * THREADS);

	/** The configuration classes that give an instance its backend (client auto-configuration + distlock's). */
	protected abstract Class<?>[] backendConfiguration();

	/** The properties that point an instance at the backend (each instance gets its own client). */
	protected abstract String[] backendProperties();

	/** Adds beans an instance needs beyond configuration, e.g. a provider shared by all instances. */
	protected void contribute(GenericApplicationContext context) {
	}

	/** Starts a backend of the test's own, before the first instance. */
	protected void startBackend() throws Exception {
	}

	/** Stops it, after the last instance closed; also drops what the test created on shared servers. */
	protected void stopBackend() throws Exception {
	}

	@BeforeEach
	void startInstances() throws Exception {
		if (!this.instances.isEmpty()) {
			return;
		}
		startBackend();
		for (int i = 0; i < INSTANCES; i++) {
			this.instances.add(start("instance-" + i));
		}
	}

	@AfterAll
	void closeInstances() throws Exception {
		this.threads.shutdownNow();
		this.instances.parallelStream().forEach(ConfigurableApplicationContext::close);
		this.bank.drop();
		stopBackend();
	}

	@Test
	void permitsAdmitAtMostTheirNumberOfHoldersAcrossInstancesWithFreshTokensAndReentryTakesNoSecondPermit()
			throws Exception {
		List<CompletableFuture<Void>> callers = new ArrayList<>();
		for (ConfigurableApplicationContext instance : this.instances) {
			PartnerApi api = instance.getBean(PartnerApi.class);
			for (int t = 0; t < THREADS; t++) {
				callers.add(CompletableFuture.runAsync(() -> {
					for (int call = 0; call < 6; call++) {
						try {
							api.call();
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
							throw new IllegalStateException(ex);
						}
					}
				}, this.threads));
			}
		}
		CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
		assertThat(this.recorder.violations).isEmpty();
		assertThat(this.recorder.calls).hasValue(INSTANCES * THREADS * 6);
		assertThat(this.recorder.maxInside).as("holders at once").hasValue(3);
		assertThat(this.recorder.tokens).hasSize(INSTANCES * THREADS * 6).allSatisfy((token) -> assertThat(token).isPositive());
		this.instances.forEach((instance) -> assertThat(engine(instance).heldLocks()).isEmpty());
	}

	@Test
	void transfersInBothArgumentOrdersNeverDeadlockConserveMoneyAndLoseNoUpdate() throws Exception {
		this.bank.open(ACCOUNTS, OPENING_BALANCE);
		Map<Long, Long> expected = new ConcurrentHashMap<>();
		ACCOUNTS.forEach((account) -> expected.put(account, OPENING_BALANCE));
		List<String> disorders = new java.util.concurrent.CopyOnWriteArrayList<>();
		List<CompletableFuture<Void>> callers = new ArrayList<>();
		for (ConfigurableApplicationContext instance : this.instances) {
			Transfers transfers = instance.getBean(Transfers.class);
			for (int t = 0; t < THREADS; t++) {
				callers.add(CompletableFuture.runAsync(() -> {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					for (int i = 0; i < 5; i++) {
						long from = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
						long to = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
						if (from == to) {
							to = ACCOUNTS.get((ACCOUNTS.indexOf(from) + 1) % ACCOUNTS.size());
						}
						long amount = 1 + random.nextInt(50);
						List<String> locks = transfer(transfers, from, to, amount);
						if (locks.size() != 2 || locks.get(0).compareTo(locks.get(1)) >= 0) {
							disorders.add(locks.toString());
						}
						expected.merge(from, -amount, Long::sum);
						expected.merge(to, amount, Long::sum);
					}
				}, this.threads));
			}
		}
		CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
		Map<Long, Long> balances = this.bank.balances();
		assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).as("money conserved")
			.isEqualTo(ACCOUNTS.size() * OPENING_BALANCE);
		assertThat(balances).as("every completed transfer applied, none lost").isEqualTo(Map.copyOf(expected));
		assertThat(disorders).as("locks not taken in ascending lock-id order").isEmpty();
		this.instances.forEach((instance) -> assertThat(engine(instance).heldLocks()).isEmpty());
	}

	@Test
	void accountsNineAndTenAreLockedInStringOrderTenFirst() throws Exception {
		this.bank.open(ACCOUNTS, OPENING_BALANCE);
		Transfers transfers = this.instances.get(0).getBean(Transfers.class);
		String lock = this.unique + ".accounts:";
		// Only this test's locks: another test class in this JVM may have left a handle on this thread.
		assertThat(transfers.transfer(9, 10, 1)).filteredOn((id) -> id.startsWith(lock))
			.containsExactly(lock + "10", lock + "9");
		assertThat(transfers.transfer(10, 9, 1)).filteredOn((id) -> id.startsWith(lock))
			.containsExactly(lock + "10", lock + "9");
	}

	@Test
	void aTransferWhoseSecondAccountStaysBusyTakesNothingAndLeavesNothingHeld() throws Exception {
		this.bank.open(ACCOUNTS, OPENING_BALANCE);
		String lock = this.unique + ".accounts:";
		// "…:10" sorts before "…:9": holding 9 makes the transfer take 10 first, then give it back.
		try (LockHandle nine = engine(this.instances.get(0)).acquire(LockRequest.of(lock + "9"))) {
			Transfers transfers = this.instances.get(1).getBean(Transfers.class);
			assertThatExceptionOfType(LockNotAcquiredException.class).isThrownBy(() -> transfers.tryTransfer(9, 10, 5))
				.withMessageContaining(lock + "9");
			assertThat(engine(this.instances.get(1)).heldLocks()).isEmpty();
			Optional<LockHandle> ten = engine(this.instances.get(2)).tryAcquire(LockRequest.of(lock + "10"));
			assertThat(ten).as("account 10 was given back").isPresent();
			ten.get().close();
		}
		assertThat(this.bank.balances()).as("the transfer did not run").containsEntry(9L, OPENING_BALANCE)
			.containsEntry(10L, OPENING_BALANCE);
	}

	private static List<String> transfer(Transfers transfers, long from, long to, long amount) {
		try {
			return transfers.transfer(from, to, amount);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static LockEngine engine(ConfigurableApplicationContext instance) {
		return instance.getBean(LockEngines.class).primary();
	}

	private ConfigurableApplicationContext start(String name) {
		List<Class<?>> sources = new ArrayList<>(List.of(backendConfiguration()));
		sources.add(CoordinationApplication.class);
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.main.log-startup-info=false",
					"distlock.instance-id=" + name, "test.partner-lock=" + this.unique + ".partner",
					"test.accounts-lock=" + this.unique + ".accounts")
			.properties(backendProperties())
			.initializers((initialized) -> {
				GenericApplicationContext generic = (GenericApplicationContext) initialized;
				generic.registerBean(PermitRecorder.class, () -> this.recorder);
				generic.registerBean(Bank.class, () -> this.bank);
				contribute(generic);
			})
			.run();
	}

}
