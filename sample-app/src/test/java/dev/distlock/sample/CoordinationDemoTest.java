package dev.distlock.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's coordination demos: the partner API never has more than its three permits in use,
 * and opposite transfers between accounts 9 and 10 neither deadlock nor lose money.
 */
// The same properties as ChargeFencingTest, so both share one cached context.
@SpringBootTest(properties = { "distlock.provider=in-memory", "spring.profiles.active=dev",
		"spring.datasource.url=jdbc:h2:mem:charge-fencing;DB_CLOSE_DELAY=-1", "sample.job.cron=0 0 0 1 1 *" })
class CoordinationDemoTest {

	private final ExecutorService threads = Executors.newFixedThreadPool(6);

	@Autowired
	private PartnerApiClient partner;

	@Autowired
	private AccountTransfers transfers;

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void sixConcurrentPartnerCallsRunAtMostThreeAtOnce() throws Exception {
		List<CompletableFuture<PartnerApiClient.Quote>> calls = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			calls.add(CompletableFuture.supplyAsync(() -> {
				try {
					return this.partner.quote("sku");
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			}, this.threads));
		}
		CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		List<PartnerApiClient.Quote> quotes = calls.stream().map(CompletableFuture::join).toList();
		assertThat(quotes).extracting(PartnerApiClient.Quote::inFlightHere).allSatisfy((n) -> assertThat(n).isBetween(1, 3));
		assertThat(quotes).extracting(PartnerApiClient.Quote::permitToken).doesNotHaveDuplicates();
	}

	@Test
	void oppositeTransfersLockTenBeforeNineAndConserveMoney() throws Exception {
		Map<Long, Long> before = this.transfers.balances();
		List<CompletableFuture<Void>> runs = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			boolean forward = i % 2 == 0;
			runs.add(CompletableFuture.runAsync(() -> {
				for (int n = 0; n < 20; n++) {
					AccountTransfers.Transfer transfer = forward ? this.transfers.transfer(9, 10, 3)
							: this.transfers.transfer(10, 9, 2);
					assertThat(transfer.locks()).containsExactly("account:10", "account:9");
				}
			}, this.threads));
		}
		CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		Map<Long, Long> after = this.transfers.balances();
		assertThat(after.get(9L)).isEqualTo(before.get(9L) - 3 * 3 * 20 + 3 * 2 * 20);
		assertThat(after.get(10L)).isEqualTo(before.get(10L) + 3 * 3 * 20 - 3 * 2 * 20);
	}

}
