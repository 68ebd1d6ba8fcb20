package dev.distlock.jdbc.session;

/**
 * Who holds a lock key on one lock connection. The database only knows that the session holds the
 * key (and would grant it again to the same session), so this is what tells owners apart.
 *
 * @param lockId the lock id the key was derived from
 * @param owner the owner token of the grant
 */
record SessionHold(String lockId, String owner) {

}
