package dev.distlock.sample;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.distlock.StaleFencingTokenException;

/**
 * HTTP API of the sample.
 */
@RestController
public class SampleController {

	private final ChargeService chargeService;

	private final OrderCharges charges;

	private final JobRuns runs;

	private final InstanceInfo instance;

	public SampleController(ChargeService chargeService, OrderCharges charges, JobRuns runs, InstanceInfo instance) {
		this.chargeService = chargeService;
		this.charges = charges;
		this.runs = runs;
		this.instance = instance;
	}

	@PostMapping("/orders/{id}/charge")
	public Map<String, Object> charge(@PathVariable long id) {
		ChargeService.ChargeResult result;
		try {
			result = this.chargeService.charge(id);
		}
		catch (StaleFencingTokenException ex) {
			// The charge's transaction was rolled back: a newer lock holder wrote first.
			result = ChargeService.ChargeResult.FENCED_OFF;
		}
		return Map.of("order", id, "result", result, "instance", this.instance.id());
	}

	@GetMapping("/orders/{id}/charges")
	public List<OrderCharges.Charge> charges(@PathVariable long id) {
		return this.charges.charges(id);
	}

	@GetMapping("/jobs/runs")
	public List<JobRuns.JobRun> runs(@RequestParam(defaultValue = "50") int limit) {
		return this.runs.recent(limit);
	}

}
