package dev.distlock.redis.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Runs one call on every node at once and collects the answers within a bound, so one slow or
 * dead node costs at most the bound, never a hang. An answer that arrives after the bound is handed
 * to a late-answer callback (a grant nobody waited for must be undone).
 */
final class ParallelNodeCalls implements AutoCloseable {

	private final ExecutorService executor;

	private final Duration bound;

	ParallelNodeCalls(int nodes, Duration bound) {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = (task) -> {
			Thread thread = new Thread(task, "distlock-redlock-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		// Several calls per node may be under way (acquire on one thread, renewals on another).
		this.executor = Executors.newFixedThreadPool(Math.max(4, nodes * 4), threads);
		this.bound = bound;
	}

	Duration bound() {
		return this.bound;
	}

	<T> List<NodeOutcome<T>> call(List<RedlockNode> nodes, Function<RedlockNode, T> call) {
		return call(nodes, call, null);
	}

	<T> List<NodeOutcome<T>> call(List<RedlockNode> nodes, Function<RedlockNode, T> call,
			@Nullable Consumer<NodeOutcome<T>> lateAnswer) {
		List<CompletableFuture<T>> futures = new ArrayList<>(nodes.size());
		for (RedlockNode node : nodes) {
			futures.add(CompletableFuture.supplyAsync(() -> call.apply(node), this.executor));
		}
		long deadline = System.nanoTime() + this.bound.toNanos();
		List<NodeOutcome<T>> outcomes = new ArrayList<>(nodes.size());
		for (int i = 0; i < nodes.size(); i++) {
			RedlockNode node = nodes.get(i);
			CompletableFuture<T> future = futures.get(i);
			try {
				T value = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				outcomes.add(new NodeOutcome<>(node, value, null));
			}
			catch (ExecutionException ex) {
				outcomes.add(new NodeOutcome<>(node, null, ex.getCause()));
			}
			catch (TimeoutException ex) {
				outcomes.add(new NodeOutcome<>(node, null, ex));
				if (lateAnswer != null) {
					future.thenAccept((value) -> lateAnswer.accept(new NodeOutcome<>(node, value, null)));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				outcomes.add(new NodeOutcome<>(node, null, ex));
			}
		}
		return outcomes;
	}

	/** Runs a call on every node without waiting (best-effort clean-up). */
	void fireAndForget(List<RedlockNode> nodes, Consumer<RedlockNode> call) {
		for (RedlockNode node : nodes) {
			this.executor.execute(() -> call.accept(node));
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
