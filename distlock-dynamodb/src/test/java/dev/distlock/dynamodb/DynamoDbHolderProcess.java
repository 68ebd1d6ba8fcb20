package dev.distlock.dynamodb;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A lock holder in a child JVM: takes {@code lockId} in {@code table} with a renewed lease of
 * {@code leaseMillis}, prints {@code HELD <token>}, and waits for a line on standard input (the test
 * SIGKILLs or SIGSTOPs it meanwhile). On that line it writes the fenced resource with its token and
 * prints {@code WRITTEN} or {@code STALE}.
 */
public final class DynamoDbHolderProcess {

	private DynamoDbHolderProcess() {
	}

	public static void main(String[] args) throws Exception {
		String table = args[0];
		String lockId = args[1];
		Duration lease = Duration.ofMillis(Long.parseLong(args[2]));
		String fenceTable = args[3];
		DynamoDbClient client = DynamoDbTestClients.client();
		LockEngine engine = new LockEngine(new DynamoDbLockProvider(client, table), new LeaseWatchdog(),
				EngineSettings.defaults("holder-process"), LockEngineObserver.NOOP);
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		try (LockHandle handle = engine.acquire(LockRequest.of(lockId).leaseTime(lease))) {
			System.out.println("HELD " + handle.fencingToken());
			System.out.flush();
			input.readLine();
			boolean written = new TokenFence(client, fenceTable).write(lockId, handle.fencingToken(), "child");
			System.out.println(written ? "WRITTEN" : "STALE");
			System.out.flush();
		}
		System.exit(0);
	}

}
