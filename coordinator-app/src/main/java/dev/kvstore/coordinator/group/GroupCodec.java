package dev.kvstore.coordinator.group;

import tools.jackson.databind.json.JsonMapper;

/** The bytes of log entries, replies and snapshot files: JSON, one format for all three. */
final class GroupCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GroupCodec() {
    }

    static byte[] command(GroupCommand command) {
        return JSON.writerFor(GroupCommand.class).writeValueAsBytes(command);
    }

    static GroupCommand command(byte[] bytes) {
        return JSON.readValue(bytes, GroupCommand.class);
    }

    static byte[] result(GroupCommand.Result result) {
        return JSON.writerFor(GroupCommand.Result.class).writeValueAsBytes(result);
    }

    static GroupCommand.Result result(byte[] bytes) {
        return JSON.readValue(bytes, GroupCommand.Result.class);
    }

    static byte[] snapshot(GroupState.Snapshot snapshot) {
        return JSON.writeValueAsBytes(snapshot);
    }

    static GroupState.Snapshot snapshot(byte[] bytes) {
        return JSON.readValue(bytes, GroupState.Snapshot.class);
    }
}
