package dev.distlock.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import dev.distlock.FencedResource;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.StaleFencingTokenException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The contract of a {@link FencedResource}, against the real backend. A backend's test extends it
 * and says how several application contexts reach the resource, how a fenced write is made there
 * (check plus write, as one transaction where the backend has them), and how to start a lock holder
 * in a child JVM ({@link FencedHolderProcess}).
 *
 * <p>Like the provider TCK it is one class, so that a backend's test extends it once and gets every
 * case; that makes it longer than our usual classes.
 */
public abstract class FencedResourceContractTest {

	/** Application contexts checking one resource at once in the concurrency test. */
	protected static final int CONTEXTS = 3;

	private static final int THREADS_PER_CONTEXT = 8;

	private static final int CHECKS_PER_THREAD = 25;

	private String prefix = "";

	/**
	 * The fenced resource as application context {@code context} (0 to {@value #CONTEXTS} - 1)
	 * sees it: contexts do not share connections.
	 */
	protected abstract FencedResource fencedResource(int context);

	/** Runs {@code work} the way the backend's users would: in a transaction of the context, if it has them. */
	protected abstract void inTransaction(int context, Runnable work);

	/** A lock template on the same backend as the child holders' (for locks on this thread). */
	protected abstract LockTemplate lockTemplate();

	/**
	 * Checks {@code resource} with the current thread's lock and records {@code writer} in the
	 * resource's own data, as one unit where the backend allows; throws
	 * {@link StaleFencingTokenException} and leaves no write behind when the token is stale.
	 */
	protected abstract void fencedWrite(String resource, String writer);

	/** The writers recorded by {@link #fencedWrite} for a resource, in order. */
	protected abstract List<String> writes(String resource);

	/**
	 * The main class and arguments of a child JVM that calls {@link FencedHolderProcess#run} for
	 * {@code lockId} with {@code fencedWrite(resource, writer)}; it runs on this JVM's class path.
	 */
	protected abstract List<String> holderProcess(String lockId, String resource, String writer);

	@BeforeEach
	void uniquePrefix(TestInfo test) {
		// Shared servers: unique names per test run.
		this.prefix = "fence-" + test.getTestMethod().map((m) -> m.getName()).orElse("t") + "-"
				+ UUID.randomUUID().toString().substring(0, 8) + ":";
	}

	protected final String resource(String name) {
		return this.prefix + name;
	}

	@Test
	void equalTokensPassSoOneHolderMayWriteSeveralTimes() {
		String resource = resource("equal");
		fencedResource(0).check(resource, 7);
		fencedResource(0).check(resource, 7);
		fencedResource(1).check(resource, 7);
	}

	@Test
	void aHigherTokenPassesAndALowerOneIsRefusedNamingResourceStaleAndStoredToken() {
		String resource = resource("order:42");
		fencedResource(0).check(resource, 10);
		fencedResource(1).check(resource, 11);
		assertThatExceptionOfType(StaleFencingTokenException.class).isThrownBy(() -> fencedResource(0).check(resource, 10))
			.satisfies((ex) -> {
				assertThat(ex.getResource()).isEqualTo(resource);
				assertThat(ex.getStaleToken()).isEqualTo(10);
				assertThat(ex.getStoredToken()).isEqualTo(11);
			})
			.withMessageContaining("'" + resource + "'")
			.withMessageContaining("token 10")
			.withMessageContaining("token 11");
		fencedResource(0).check(resource, 11);
	}

	@Test
	void aRefusedTokenLeavesTheStoredTokenAsItWas() {
		String resource = resource("refused");
		fencedResource(0).check(resource, 20);
		assertThatExceptionOfType(StaleFencingTokenException.class).isThrownBy(() -> fencedResource(1).check(resource, 3));
		assertThatExceptionOfType(StaleFencingTokenException.class).isThrownBy(() -> fencedResource(1).check(resource, 19))
			.satisfies((ex) -> assertThat(ex.getStoredToken()).isEqualTo(20));
	}

	@Test
	void checkWithoutALockHeldOnThisThreadThrowsIllegalStateException() {
		String resource = resource("no-lock");
		assertThatIllegalStateException().isThrownBy(() -> fencedResource(0).check(resource))
			.withMessageContaining(resource)
			.withMessageContaining("check(resource, token)");
		fencedResource(0).check(resource, 1);
	}

	@Test
	void checkInsideALockRecordsTheLocksFencingToken() {
		String resource = resource("in-lock");
		LockRequest lock = LockRequest.of(resource("lock"));
		long earlier;
		try (LockHandle handle = lockTemplate().acquire(lock)) {
			earlier = handle.fencingToken();
		}
		long token;
		try (LockHandle handle = lockTemplate().acquire(lock)) {
			token = handle.fencingToken();
			fencedResource(0).check(resource);
		}
		assertThatExceptionOfType(StaleFencingTokenException.class)
			.isThrownBy(() -> fencedResource(1).check(resource, earlier))
			.satisfies((ex) -> assertThat(ex.getStoredToken()).isEqualTo(token));
		fencedResource(1).check(resource, token);
	}

	@Test
	void tokensMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> fencedResource(0).check(resource("zero"), 0))
			.withMessageContaining("positive");
		assertThatIllegalArgumentException().isThrownBy(() -> fencedResource(0).check(resource("negative"), -5));
	}

	@Test
	void tokensAboveTwoToThe53AreComparedExactly() {
		String resource = resource("large");
		long large = (1L << 53) + 1;
		fencedResource(0).check(resource, large);
		assertThatExceptionOfType(StaleFencingTokenException.class)
			.isThrownBy(() -> fencedResource(0).check(resource, large - 1))
			.satisfies((ex) -> assertThat(ex.getStoredToken()).isEqualTo(large));
		fencedResource(0).check(resource, Long.MAX_VALUE);
	}

	/**
	 * Every name below is its own resource: a token recorded for one never refuses another, so
	 * names are neither cut, folded, unescaped nor run as SQL.
	 */
	@Test
	void resourceNamesAreDataLongUnicodeQuotedOrSqlAndNeverCollide() {
		List<String> names = List.of("x".repeat(1024), "é".repeat(1024), "заказ:42 注文 🚀", "o'brien \"quoted\" `back`",
				"'; DROP TABLE distlock_fence; --", "a%_\\*?[]{}", "Order:1", "order:1", "order:1 ", " order:1", "",
				"nul\u0000inside", "nul\uFFFDinside", "lone\uD800surrogate", "lone?surrogate", "tab\tnew\nline");
		for (int i = 0; i < names.size(); i++) {
			fencedResource(0).check(resource(names.get(i)), 100 + i);
		}
		for (int i = 0; i < names.size(); i++) {
			String resource = resource(names.get(i));
			long stored = 100 + i;
			String description = "resource " + i;
			assertThatExceptionOfType(StaleFencingTokenException.class)
				.as(description)
				.isThrownBy(() -> fencedResource(1).check(resource, 99))
				.satisfies((ex) -> assertThat(ex.getStoredToken()).as(description).isEqualTo(stored))
				.satisfies((ex) -> assertThat(ex.getResource()).isEqualTo(resource));
			fencedResource(1).check(resource, stored);
		}
	}

	/**
	 * {@value #CONTEXTS} contexts with {@value #THREADS_PER_CONTEXT} threads each check one resource
	 * with tokens drawn from one increasing counter, arriving out of order. Whenever a check
	 * completed (committed) before another started, the later one cannot have passed with a lower
	 * token: the accepted tokens are monotonic.
	 */
	@Test
	void concurrentChecksNeverLetALowerTokenPassAfterAHigherOneCommitted() throws Exception {
		String resource = resource("contended");
		AtomicLong tokens = new AtomicLong();
		ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
		AtomicInteger refused = new AtomicInteger();
		ConcurrentLinkedQueue<String> wrongRefusals = new ConcurrentLinkedQueue<>();
		ExecutorService threads = Executors.newFixedThreadPool(CONTEXTS * THREADS_PER_CONTEXT);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int context = 0; context < CONTEXTS; context++) {
				for (int thread = 0; thread < THREADS_PER_CONTEXT; thread++) {
					int c = context;
					workers.add(threads.submit(() -> {
						start.await();
						for (int i = 0; i < CHECKS_PER_THREAD; i++) {
							long token = tokens.incrementAndGet();
							// Lets later tokens overtake this one, as paused holders would.
							Thread.sleep(ThreadLocalRandom.current().nextInt(3));
							long startedAt = System.nanoTime();
							try {
								inTransaction(c, () -> fencedResource(c).check(resource, token));
								accepted.add(new Accepted(token, startedAt, System.nanoTime()));
							}
							catch (StaleFencingTokenException ex) {
								refused.incrementAndGet();
								if (ex.getStoredToken() <= token) {
									wrongRefusals.add(token + " refused with stored " + ex.getStoredToken());
								}
							}
						}
						return null;
					}));
				}
			}
			start.countDown();
			for (Future<?> worker : workers) {
				worker.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			threads.shutdownNow();
		}
		List<Accepted> all = new ArrayList<>(accepted);
		List<String> violations = new ArrayList<>();
		for (Accepted earlier : all) {
			for (Accepted later : all) {
				if (earlier.committedAt() < later.startedAt() && later.token() < earlier.token()) {
					violations.add("token " + later.token() + " passed after " + earlier.token() + " committed");
				}
			}
		}
		System.out.printf("[measured] %s: %d checks accepted, %d refused as stale%n", getClass().getSimpleName(),
				all.size(), refused.get());
		assertThat(violations).isEmpty();
		assertThat(wrongRefusals).isEmpty();
		assertThat(all.size() + refused.get()).isEqualTo(CONTEXTS * THREADS_PER_CONTEXT * CHECKS_PER_THREAD);
		assertThat(refused.get()).as("checks that arrived after a higher token").isPositive();
		long highest = all.stream().mapToLong(Accepted::token).max().orElseThrow();
		assertThatExceptionOfType(StaleFencingTokenException.class)
			.isThrownBy(() -> fencedResource(0).check(resource, highest - 1))
			.satisfies((ex) -> assertThat(ex.getStoredToken()).isEqualTo(highest));
	}

	/**
	 * The first holder is frozen (SIGSTOP) past its lease; the second is granted the lock and
	 * writes through the fence; the first, resumed (SIGCONT), still believes it holds the lock and
	 * writes: the fence refuses it and its write does not remain.
	 */
	@Test
	void aHolderPausedPastItsLeaseIsRefusedAfterTheNextHolderWroteAndItsWriteDoesNotRemain() throws Exception {
		String lockId = resource("paused-lock");
		String resource = resource("paused");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
		command.addAll(holderProcess(lockId, resource, "first"));
		Process first = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		try {
			BufferedReader output = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
			String held = readLine(output, "HELD");
			long firstToken = Long.parseLong(held.substring("HELD ".length()).strip());
			signal(first, "STOP");

			long secondToken;
			try (LockHandle second = lockTemplate()
				.acquire(LockRequest.of(lockId).leaseTime(Duration.ofSeconds(30)).waitTime(Duration.ofSeconds(60)))) {
				secondToken = second.fencingToken();
				fencedWrite(resource, "second");
			}
			assertThat(secondToken).isGreaterThan(firstToken);

			signal(first, "CONT");
			Writer input = new OutputStreamWriter(first.getOutputStream(), StandardCharsets.UTF_8);
			input.write("WRITE\n");
			input.flush();
			String outcome = readLine(output, "");
			assertThat(outcome).isEqualTo("STALE " + secondToken);
			assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("first holder exits").isTrue();
			assertThat(writes(resource)).containsExactly("second");
		}
		finally {
			signal(first, "CONT");
			first.destroyForcibly();
			first.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private static String readLine(BufferedReader output, String prefix) throws Exception {
		return CompletableFuture.supplyAsync(() -> {
			try {
				String line;
				while ((line = output.readLine()) != null) {
					if (line.startsWith(prefix) && (prefix.length() > 0 || line.matches("WRITTEN|STALE \\d+"))) {
						return line;
					}
				}
				return "EOF";
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}).get(90, TimeUnit.SECONDS);
	}

	private static void signal(Process process, String signal) throws Exception {
		if (!process.isAlive()) {
			return;
		}
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
		assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
	}

	private record Accepted(long token, long startedAt, long committedAt) {
	}

}
