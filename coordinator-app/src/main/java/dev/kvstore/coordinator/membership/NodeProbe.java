package dev.kvstore.coordinator.membership;

import java.util.List;
import java.util.Set;

/** Asks nodes directly whether they are alive, for the reaper that would otherwise mark several DOWN at once. */
@FunctionalInterface
public interface NodeProbe {

    /** Asks nobody: nobody answers. */
    NodeProbe NONE = members -> Set.of();

    /** Of {@code members}, the ids of those that answer a direct call now. */
    Set<String> answering(List<Member> members);
}
