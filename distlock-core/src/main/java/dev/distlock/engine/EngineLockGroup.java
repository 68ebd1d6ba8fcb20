package dev.distlock.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.distlock.LeaseLostException;
import dev.distlock.LockGroup;
import dev.distlock.LockHandle;

/** The handles of one {@link OrderedAcquisition}, released in reverse order, once. */
final class EngineLockGroup implements LockGroup {

	private final List<LockHandle> handles;

	private final AtomicBoolean closed = new AtomicBoolean();

	EngineLockGroup(List<LockHandle> handles) {
		this.handles = List.copyOf(handles);
	}

	@Override
	public List<LockHandle> handles() {
		return this.handles;
	}

	@Override
	public LockHandle handle(String lockId) {
		for (LockHandle handle : this.handles) {
			if (handle.lockId().equals(lockId)) {
				return handle;
			}
		}
		throw new IllegalArgumentException("Lock '" + lockId + "' is not in this group; it holds "
				+ this.handles.stream().map(LockHandle::lockId).toList());
	}

	@Override
	public boolean isValid() {
		return !this.closed.get() && this.handles.stream().allMatch(LockHandle::isValid);
	}

	@Override
	public void checkValid() {
		if (this.closed.get()) {
			throw new LeaseLostException("The locks " + this.handles.stream().map(LockHandle::lockId).toList()
					+ " were released by their holder");
		}
		this.handles.forEach(LockHandle::checkValid);
	}

	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			OrderedAcquisition.closeInReverse(this.handles);
		}
	}

	@Override
	public String toString() {
		return "LockGroup" + this.handles;
	}

}
