package dev.kvstore.coordinator.migration;

import dev.kvstore.model.HashRange;
import java.util.List;

/**
 * What it takes to go from one ring to the next, in execution order: {@code cleanups} empty the
 * entering node, {@code copies} then {@code moves} put every arc on its new holders, the new ring is
 * published, and {@code drops} remove the copies old holders no longer need.
 *
 * @param moving arcs whose holders change; writes to them wait while the plan runs
 * @param lost   arcs with no live old holder to copy from (more failures than the replication covers)
 */
public record MigrationPlan(List<Step.Drop> cleanups, List<Step.Copy> copies, List<Step.Move> moves,
                            List<Step.Drop> drops, List<HashRange> moving, List<HashRange> lost) {

    public boolean isEmpty() {
        return moving.isEmpty() && cleanups.isEmpty();
    }
}
