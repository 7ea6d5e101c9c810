package dev.kvstore.node.participant;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Locks by transaction id, striped: a prepare and a decision of a transaction not prepared here take the
 * same one, so an abort that fences a transaction and its late prepare never both go through.
 */
final class TxnStripes {

    private static final int STRIPES = 64;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    TxnStripes() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(String txId) {
        return stripes[Math.floorMod(txId.hashCode(), STRIPES)];
    }
}
