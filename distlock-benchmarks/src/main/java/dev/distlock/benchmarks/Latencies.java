package dev.distlock.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * Recorded latencies of one thread, in nanoseconds; merged and sorted for exact percentiles. Not
 * thread-safe: one per thread.
 */
final class Latencies {

	private long[] values = new long[1 << 14];

	private int size;

	void add(long nanos) {
		if (this.size == this.values.length) {
			this.values = Arrays.copyOf(this.values, this.size * 2);
		}
		this.values[this.size++] = nanos;
	}

	int count() {
		return this.size;
	}

	static Latencies merge(List<Latencies> parts) {
		Latencies merged = new Latencies();
		merged.values = new long[Math.max(1, parts.stream().mapToInt(Latencies::count).sum())];
		for (Latencies part : parts) {
			System.arraycopy(part.values, 0, merged.values, merged.size, part.size);
			merged.size += part.size;
		}
		Arrays.sort(merged.values, 0, merged.size);
		return merged;
	}

	/** The given percentile (0-100) of a merged, sorted set, in microseconds. */
	double percentileMicros(double percentile) {
		if (this.size == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(this.size - 1, Math.ceil(percentile / 100 * this.size) - 1);
		return this.values[Math.max(0, index)] / 1000.0;
	}

}
