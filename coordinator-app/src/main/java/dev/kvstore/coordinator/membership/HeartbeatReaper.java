package dev.kvstore.coordinator.membership;

import dev.kvstore.coordinator.group.Leadership;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Marks nodes DOWN when their heartbeats stop. */
@Component
public class HeartbeatReaper {

    private final Membership membership;
    private final Leadership leadership;
    private final NodeProbe probe;

    public HeartbeatReaper(Membership membership, Leadership leadership, NodeProbe probe) {
        this.membership = membership;
        this.leadership = leadership;
        this.probe = probe;
    }

    /** Only the serving leader reaps: the heartbeats go to it, and it decides who is DOWN. */
    @Scheduled(fixedDelayString = "${kv.membership.reaper-interval:500ms}")
    public void reap() {
        if (leadership.serves()) {
            membership.reap(probe);
        }
    }
}
