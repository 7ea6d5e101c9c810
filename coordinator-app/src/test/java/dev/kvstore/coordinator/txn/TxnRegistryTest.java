package dev.kvstore.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxnRegistryTest {

    private final TxnRegistry registry = new TxnRegistry(Clock.systemUTC());
    private final Replica a = new Replica("a", "http://a", Table.OWN);
    private final Replica b = new Replica("b", "http://b", Table.PREV);

    @Test
    void aDecisionIsNotResentToAReplicaWhileTheDecidingThreadStillSendsIt() {
        registry.begin("t1");
        registry.decide("t1", TxnState.COMMITTED, 7, List.of(a, b));

        assertThat(registry.pending()).as("both deliveries still in flight").isEmpty();
        assertThat(registry.status("t1").state()).as("yet a node asking is told").isEqualTo(TxnState.COMMITTED);

        registry.acknowledged("t1", a);
        registry.attemptEnded("t1", a);
        registry.attemptEnded("t1", b);

        assertThat(registry.pending()).singleElement().satisfies(pending -> {
            assertThat(pending.unacknowledged()).containsExactly(b);
            assertThat(pending.version()).isEqualTo(7);
        });
        registry.acknowledged("t1", b);
        assertThat(registry.pending()).isEmpty();
        assertThat(registry.size()).isZero();
    }

    @Test
    void anUndecidedTransactionIsNeverPending() {
        registry.begin("t1");

        assertThat(registry.pending()).isEmpty();
        assertThat(registry.undecided()).isOne();
    }

    @Test
    void aDecisionIsForgottenOnlyOnceEveryOneOfItsReplicasAcknowledgedIt() {
        Replica c = new Replica("c", "http://c", Table.PREV);
        registry.begin("t1");
        registry.decide("t1", TxnState.ABORTED, 0, List.of(a, b, c));
        List.of(a, b, c).forEach(replica -> registry.attemptEnded("t1", replica));

        registry.acknowledged("t1", new Replica("d", "http://d", Table.OWN));
        registry.acknowledged("t1", b);
        registry.acknowledged("t1", b);

        assertThat(registry.pending()).singleElement()
                .satisfies(pending -> assertThat(pending.unacknowledged()).containsExactly(a, c));
        registry.acknowledged("t1", c);
        registry.acknowledged("t1", a);
        assertThat(registry.size()).isZero();
        assertThat(registry.status("t1").state()).isEqualTo(TxnState.UNKNOWN);
    }
}
