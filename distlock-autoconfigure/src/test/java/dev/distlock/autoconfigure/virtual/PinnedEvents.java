package dev.distlock.autoconfigure.virtual;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of {@code jdk.VirtualThreadPinned} events (every one, whatever its duration, with
 * its stack): what a virtual thread was doing when it blocked while pinned to its carrier.
 */
final class PinnedEvents implements AutoCloseable {

	private static final String EVENT = "jdk.VirtualThreadPinned";

	private final Recording recording = new Recording();

	PinnedEvents() {
		this.recording.enable(EVENT).withStackTrace().withThreshold(Duration.ZERO);
		this.recording.start();
	}

	/** Stops recording and returns the events with a frame of a class the predicate accepts. */
	List<String> stopAndFind(Predicate<String> className) throws IOException {
		this.recording.stop();
		Path file = Files.createTempFile("distlock-pinning", ".jfr");
		try {
			this.recording.dump(file);
			return RecordingFile.readAllEvents(file)
				.stream()
				.filter((event) -> event.getEventType().getName().equals(EVENT))
				.filter((event) -> hasFrame(event, className))
				.map(PinnedEvents::describe)
				.toList();
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	@Override
	public void close() {
		this.recording.close();
	}

	private static boolean hasFrame(RecordedEvent event, Predicate<String> className) {
		return event.getStackTrace() != null && event.getStackTrace()
			.getFrames()
			.stream()
			.anyMatch((frame) -> className.test(frame.getMethod().getType().getName()));
	}

	private static String describe(RecordedEvent event) {
		StringBuilder text = new StringBuilder("pinned for " + event.getDuration().toMillis() + " ms at");
		if (event.getStackTrace() != null) {
			for (RecordedFrame frame : event.getStackTrace().getFrames()) {
				text.append("\n\t").append(frame.getMethod().getType().getName()).append('.')
					.append(frame.getMethod().getName()).append(':').append(frame.getLineNumber());
			}
		}
		return text.toString();
	}

}
