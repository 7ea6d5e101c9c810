package dev.kvstore.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.group.GroupCommand.Result;
import dev.kvstore.coordinator.group.GroupState.Registration;
import dev.kvstore.model.RingView;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The replicated state alone: deterministic, snapshot-faithful, and keeping its invariants. */
class GroupStateTest {

    private final GroupState state = new GroupState();

    @Test
    void anIdThatIsUpElsewhereIsTakenOverOnlyWithItsInstanceToken() {
        state.apply(new GroupCommand.Register("node-1", "http://a:1", "token-1"));

        assertThat(state.apply(new GroupCommand.Register("node-1", "http://b:2", "other")))
                .isEqualTo(new Result.Refused("node id node-1 is in use by http://a:1"));
        assertThat(state.apply(new GroupCommand.Register("node-1", "http://b:2", null))).isInstanceOf(Result.Refused.class);
        assertThat(state.apply(new GroupCommand.Register("node-1", "http://a:3", "token-1"))).isEqualTo(new Result.Applied(true));
        state.apply(new GroupCommand.MarkDown("node-1"));
        assertThat(state.apply(new GroupCommand.Register("node-1", "http://b:2", "other")))
                .as("once down, the id is free").isEqualTo(new Result.Applied(true));
        assertThat(state.snapshot().member("node-1")).contains(new Registration("node-1", "http://b:2", "other", true, false));
    }

    @Test
    void theRingEpochOnlyGrows() {
        assertThat(state.apply(new GroupCommand.PublishRing(new RingView(3, List.of("a", "b"))))).isEqualTo(new Result.Applied(true));

        assertThat(state.apply(new GroupCommand.PublishRing(new RingView(3, List.of("a")))))
                .isEqualTo(new Result.Refused("ring epoch 3 is not above the current 3"));
        assertThat(state.apply(new GroupCommand.PublishRing(new RingView(2, List.of("a"))))).isInstanceOf(Result.Refused.class);
        assertThat(state.snapshot().ring()).isEqualTo(new RingView(3, List.of("a", "b")));
    }

    @Test
    void oneMigrationAtATime() {
        assertThat(state.apply(new GroupCommand.BeginMigration("node-3 fails", List.of("a", "b", "c"), List.of("a", "b"), 10))).isEqualTo(new Result.Applied(true));
        assertThat(state.apply(new GroupCommand.BeginMigration("node-4 joins", List.of("a", "b"), List.of("a", "b", "d"), 11)))
                .isEqualTo(new Result.Refused("a migration is in progress: node-3 fails"));
        assertThat(state.snapshot().migration()).isEqualTo(new GroupState.Migration("node-3 fails", List.of("a", "b", "c"), List.of("a", "b"), 10));

        assertThat(state.apply(new GroupCommand.EndMigration())).isEqualTo(new Result.Applied(true));
        assertThat(state.apply(new GroupCommand.EndMigration())).isEqualTo(new Result.Applied(false));
        assertThat(state.snapshot().migration()).isNull();
    }

    @Test
    void aRemovedNodeIsRememberedUntilItRegistersAgainAndLeavingSurvivesARegistration() {
        state.apply(new GroupCommand.Register("n", "http://n", null));
        state.apply(new GroupCommand.MarkLeaving("n"));
        state.apply(new GroupCommand.Register("n", "http://n", null));
        assertThat(state.snapshot().member("n").orElseThrow().leaving()).isTrue();

        state.apply(new GroupCommand.Remove("n"));
        assertThat(state.snapshot().members()).isEmpty();
        assertThat(state.snapshot().removed()).containsExactly("n");

        state.apply(new GroupCommand.Register("n", "http://n", null));
        assertThat(state.snapshot().removed()).isEmpty();
        assertThat(state.snapshot().member("n").orElseThrow().leaving()).as("a new member").isFalse();
    }

    @Test
    void aMissingRingMemberIsDownWithoutAUrlAndCannotBeMarkedUpBeforeItRegisters() {
        state.apply(new GroupCommand.AddMissing("m"));

        assertThat(state.snapshot().member("m")).contains(new Registration("m", null, null, false, false));
        assertThat(state.apply(new GroupCommand.MarkUp("m"))).isInstanceOf(Result.Refused.class);
        assertThat(state.apply(new GroupCommand.MarkDown("nobody"))).isEqualTo(new Result.Refused("no node has id nobody"));
    }

    @Test
    void theTermFloorOnlyRisesAndASnapshotWrittenBeforeItExistedReadsAsZero() {
        assertThat(state.apply(new GroupCommand.RaiseTermFloor(40))).isEqualTo(new Result.Applied(true));
        assertThat(state.apply(new GroupCommand.RaiseTermFloor(12))).isEqualTo(new Result.Applied(false));
        assertThat(state.snapshot().termFloor()).isEqualTo(40);
        assertThat(GroupState.restore(GroupCodec.snapshot(GroupCodec.snapshot(state.snapshot()))).snapshot().termFloor())
                .isEqualTo(40);

        GroupState.Snapshot old = GroupCodec.snapshot("""
                {"members":[],"removed":[],"ring":{"epoch":3,"nodes":["a"]},"migration":null}""".getBytes());
        assertThat(old.termFloor()).isZero();
        assertThat(old.ring().epoch()).isEqualTo(3);
    }

    @Test
    void replayingTheLogIntoAFreshStateOrRestoringItsSnapshotGivesTheSameStateAndAnswers() {
        for (long seed = 1; seed <= 50; seed++) {
            List<GroupCommand> log = randomLog(new Random(seed), 200);
            GroupState first = new GroupState();
            GroupState second = new GroupState();
            List<Result> firstResults = new ArrayList<>();
            List<Result> secondResults = new ArrayList<>();
            GroupState restoredHalfway = null;
            for (int i = 0; i < log.size(); i++) {
                GroupCommand command = GroupCodec.command(GroupCodec.command(log.get(i)));
                assertThat(command).isEqualTo(log.get(i));
                firstResults.add(first.apply(command));
                secondResults.add(second.apply(command));
                if (restoredHalfway != null) {
                    restoredHalfway.apply(command);
                }
                if (i == log.size() / 2) {
                    restoredHalfway = GroupState.restore(GroupCodec.snapshot(GroupCodec.snapshot(first.snapshot())));
                }
            }
            assertThat(second.snapshot()).as("seed %d", seed).isEqualTo(first.snapshot());
            assertThat(secondResults).isEqualTo(firstResults);
            assertThat(restoredHalfway.snapshot()).as("seed %d, snapshot at the middle", seed).isEqualTo(first.snapshot());
        }
    }

    private static List<GroupCommand> randomLog(Random random, int length) {
        List<String> ids = List.of("node-1", "node-2", "node-3", "node-4");
        List<GroupCommand> log = new ArrayList<>();
        long epoch = 0;
        for (int i = 0; i < length; i++) {
            String id = ids.get(random.nextInt(ids.size()));
            log.add(switch (random.nextInt(10)) {
                case 0 -> new GroupCommand.Register(id, "http://127.0.0.1:" + (9000 + random.nextInt(3)),
                        random.nextBoolean() ? "token-" + id : null);
                case 1 -> new GroupCommand.MarkDown(id);
                case 2 -> new GroupCommand.MarkUp(id);
                case 3 -> new GroupCommand.AddMissing(id);
                case 4 -> new GroupCommand.MarkLeaving(id);
                case 5 -> new GroupCommand.Remove(id);
                case 6 -> new GroupCommand.PublishRing(new RingView(epoch += random.nextInt(3) - 1, List.of(id)));
                case 7 -> new GroupCommand.BeginMigration(id + " changes", List.of(), List.of(id), i);
                case 8 -> new GroupCommand.RaiseTermFloor(random.nextInt(100));
                default -> new GroupCommand.EndMigration();
            });
        }
        return log;
    }
}
