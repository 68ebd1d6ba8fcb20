package dev.distlock.etcd;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lock keys this instance may have written without knowing it: an acquisition or release whose
 * answer never came (a timeout, a dropped connection) may have been applied. Such a key is
 * attached to the session lease and would block its lock for as long as the instance lives, so
 * each is deleted — only if it still holds that grant's owner, which is unique per grant — on the
 * next call that reaches etcd.
 */
final class OrphanedKeys {

	private static final Logger logger = LoggerFactory.getLogger(OrphanedKeys.class);

	private final KV kv;

	private final EtcdCalls calls;

	private final Map<ByteSequence, ByteSequence> orphans = new ConcurrentHashMap<>();

	OrphanedKeys(KV kv, EtcdCalls calls) {
		this.kv = kv;
		this.calls = calls;
	}

	void add(ByteSequence key, ByteSequence owner) {
		this.orphans.put(key, owner);
	}

	int size() {
		return this.orphans.size();
	}

	/** Deletes the orphans that still hold their grant's owner; keeps the rest for the next sweep if etcd fails. */
	void sweep() {
		for (Map.Entry<ByteSequence, ByteSequence> orphan : this.orphans.entrySet()) {
			try {
				this.calls.await("delete a lock key left behind",
						this.kv.txn()
							.If(new Cmp(orphan.getKey(), Cmp.Op.EQUAL, CmpTarget.value(orphan.getValue())))
							.Then(Op.delete(orphan.getKey(), DeleteOption.DEFAULT))
							.commit());
				this.orphans.remove(orphan.getKey(), orphan.getValue());
			}
			catch (RuntimeException ex) {
				logger.debug("Could not delete a lock key left behind yet", ex);
				return;
			}
		}
	}

}
