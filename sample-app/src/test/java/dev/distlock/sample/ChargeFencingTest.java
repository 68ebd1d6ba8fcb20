package dev.distlock.sample;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.distlock.FencedResource;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.StaleFencingTokenException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample's ledger is fenced by distlock's {@link FencedResource}: once a newer lock holder has
 * written for an order (simulated by recording a higher token for {@code order:<id>}), a charge
 * under an older token is refused and its transaction leaves no charge behind.
 */
@SpringBootTest(properties = { "distlock.provider=in-memory", "spring.profiles.active=dev",
		"spring.datasource.url=jdbc:h2:mem:charge-fencing;DB_CLOSE_DELAY=-1", "sample.job.cron=0 0 0 1 1 *" })
class ChargeFencingTest {

	@Autowired
	private ChargeService chargeService;

	@Autowired
	private SampleController controller;

	@Autowired
	private OrderCharges charges;

	@Autowired
	private FencedResource fencedResource;

	@Autowired
	private LockTemplate locks;

	@Test
	void aChargeIsRecordedWithTheLocksTokenAndFencesTheOrder() {
		// An earlier grant of the charge's lock, so the charge's token is not the first.
		this.locks.acquire(LockRequest.of(ChargeService.class.getName() + ".charge:1")).close();
		assertThat(this.chargeService.charge(1)).isEqualTo(ChargeService.ChargeResult.CHARGED);
		long token = this.charges.charges(1).get(0).fencingToken();
		assertThatExceptionOfType(StaleFencingTokenException.class)
			.isThrownBy(() -> this.fencedResource.check("order:1", token - 1))
			.satisfies((ex) -> assertThat(ex.getStoredToken()).isEqualTo(token));
	}

	@Test
	void aChargeUnderATokenOlderThanTheNewestHoldersIsRefusedAndRolledBack() {
		this.fencedResource.check("order:2", Long.MAX_VALUE);
		assertThatExceptionOfType(StaleFencingTokenException.class).isThrownBy(() -> this.chargeService.charge(2))
			.satisfies((ex) -> assertThat(ex.getResource()).isEqualTo("order:2"));
		assertThat(this.charges.isCharged(2)).isFalse();
		assertThat(this.controller.charge(2)).containsEntry("result", ChargeService.ChargeResult.FENCED_OFF);
		assertThat(this.charges.isCharged(2)).isFalse();
	}

}
