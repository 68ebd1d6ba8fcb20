package dev.distlock.etcd;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;

/**
 * Counts the requests a jetcd client sends to etcd, per gRPC method (each message sent on a stream
 * counts as one request, each answered by the server): what a round trip is here.
 */
final class CountingInterceptor implements ClientInterceptor {

	private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

	@Override
	public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
		AtomicLong counter = this.requests.computeIfAbsent(method.getFullMethodName(), (name) -> new AtomicLong());
		return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
			@Override
			public void sendMessage(Q message) {
				counter.incrementAndGet();
				super.sendMessage(message);
			}
		};
	}

	/** Requests sent so far, all methods. */
	long total() {
		return this.requests.values().stream().mapToLong(AtomicLong::get).sum();
	}

	/** Requests sent so far, per method. */
	Map<String, Long> perMethod() {
		Map<String, Long> copy = new java.util.TreeMap<>();
		this.requests.forEach((method, count) -> copy.put(method, count.get()));
		return copy;
	}

}
