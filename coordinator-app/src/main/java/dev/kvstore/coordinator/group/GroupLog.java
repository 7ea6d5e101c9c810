package dev.kvstore.coordinator.group;

/**
 * Where the leader's durable decisions go before they take effect: the coordinators' Raft log. A
 * decision is acted on only once {@link #submit} returned; if this coordinator stops leading first,
 * {@link GroupUnavailableException} says so and the decision is the next leader's to make again.
 */
@FunctionalInterface
public interface GroupLog {

    /** For a coordinator that keeps nothing (unit tests of the parts that submit): every change applies. */
    GroupLog NONE = command -> new GroupCommand.Result.Applied(true);

    /**
     * Appends {@code command}, waits until a majority holds it and it is applied, and answers what
     * applying did.
     *
     * @throws GroupUnavailableException when this coordinator is not the leader, or the command did not
     *                                   commit within the group's command timeout
     */
    GroupCommand.Result submit(GroupCommand command);
}
