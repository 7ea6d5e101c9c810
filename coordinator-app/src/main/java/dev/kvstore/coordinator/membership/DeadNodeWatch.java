package dev.kvstore.coordinator.membership;

import dev.kvstore.coordinator.group.Knock;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices at once that a node's process is gone. A call refused by the node's host is proof, not
 * suspicion: the kernel refuses only when nothing listens on the port. After one confirming knock,
 * also refused, the node is marked DOWN right away, and its ranges fail over at the rebalancer's next
 * tick instead of after the heartbeat timeout. That timeout stays the rule for a node that is silent
 * but whose port still accepts (paused, overloaded) or cannot be reached at all (partitioned): those
 * prove nothing. So does a refusal at a URL the node has not confirmed since this coordinator took over
 * (see {@link Member#confirmed()}): after a whole-cluster restart the node listens elsewhere.
 */
public final class DeadNodeWatch {

    private static final Logger log = LoggerFactory.getLogger(DeadNodeWatch.class);

    private final Membership membership;
    private final Knock knock;
    private final Executor executor;
    private final Set<String> checking = ConcurrentHashMap.newKeySet();

    public DeadNodeWatch(Membership membership, Knock knock, Executor executor) {
        this.membership = membership;
        this.knock = knock;
        this.executor = executor;
    }

    /** A call to {@code target} (a URL on some node) was refused: confirm, off the caller's thread. */
    public void refused(URI target) {
        Optional<Member> member = membership.memberAt(target).filter(m -> m.isUp() && m.confirmed());
        if (member.isEmpty() || !checking.add(member.get().id())) {
            return;
        }
        String id = member.get().id();
        int port = Membership.port(target);
        try {
            executor.execute(() -> confirm(id, target.getHost(), port));
        } catch (RejectedExecutionException e) {
            checking.remove(id);
        }
    }

    private void confirm(String id, String host, int port) {
        try {
            if (knock.refused(host, port)) {
                membership.markDown(id, "its process is gone: a call to it was refused, and so was a second knock");
            }
        } catch (RuntimeException e) {
            log.debug("nodeId={} not marked DOWN on a refused connection: {}", id, e.getMessage());
        } finally {
            checking.remove(id);
        }
    }
}
