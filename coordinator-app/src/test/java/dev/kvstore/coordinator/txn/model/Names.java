package dev.kvstore.coordinator.txn.model;

/** How traces name the parties. */
final class Names {

    private Names() {
    }

    static String replica(int r) {
        return r == 0 ? "A" : "B";
    }
}
