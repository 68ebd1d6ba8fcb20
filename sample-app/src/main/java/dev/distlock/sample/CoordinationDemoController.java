package dev.distlock.sample;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Demo actions for permits (a rate-limited partner API) and several keys (a two-account transfer). */
@RestController
public class CoordinationDemoController {

	private final PartnerApiClient partner;

	private final AccountTransfers transfers;

	public CoordinationDemoController(PartnerApiClient partner, AccountTransfers transfers) {
		this.partner = partner;
		this.transfers = transfers;
	}

	@PostMapping("/demo/partner-quote")
	public PartnerApiClient.Quote partnerQuote(@RequestParam(defaultValue = "sku-1") String sku)
			throws InterruptedException {
		return this.partner.quote(sku);
	}

	@PostMapping("/demo/transfer")
	public AccountTransfers.Transfer transfer(@RequestParam long from, @RequestParam long to,
			@RequestParam(defaultValue = "10") long amount) {
		return this.transfers.transfer(from, to, amount);
	}

	@GetMapping("/demo/accounts")
	public Map<Long, Long> accounts() {
		return this.transfers.balances();
	}

	@ExceptionHandler(IllegalArgumentException.class)
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	public Map<String, String> badRequest(IllegalArgumentException ex) {
		return Map.of("error", ex.getMessage());
	}

}
