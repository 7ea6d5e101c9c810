package dev.kvstore.coordinator.membership;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Marks nodes DOWN when their heartbeats stop. */
@Component
public class HeartbeatReaper {

    private final Membership membership;

    public HeartbeatReaper(Membership membership) {
        this.membership = membership;
    }

    @Scheduled(fixedDelayString = "${kv.membership.reaper-interval:500ms}")
    public void reap() {
        membership.reap();
    }
}
