package dev.kvstore.coordinator.txn.model;

/**
 * What the properties look at in a state of any commit protocol's model: the decisions the replicas
 * recorded, what each client was told, and what a read of each replica would return.
 */
public interface Observed {

    /** A replica's decision for a transaction. */
    enum Decision { NONE, COMMITTED, ABORTED }

    /** What a client was told about its write. */
    enum Answer {
        /** Nothing yet. */
        NONE,
        /** 200/201: the write is acknowledged. */
        WRITTEN,
        /** 412 or 503: nothing was written. */
        NOT_WRITTEN,
        /** 504: committed, not confirmed by every replica yet. */
        UNCONFIRMED,
        /** The coordinator crashed while the request was open: the connection dropped. */
        LOST
    }

    int replicas();

    int transactions();

    /** The decision recorded by {@code replica} (in memory or in its log) for {@code txn}. */
    Decision decision(int replica, int txn);

    Answer answer(int txn);

    /** The highest version a client was told WRITTEN for the key; 0 for none. */
    long acknowledgedVersion();

    /**
     * The version a read of {@code replica} would return now (0: the key is absent), or -1 when the
     * replica refuses the read (the key is held by a transaction in doubt).
     */
    long readableVersion(int replica);
}
