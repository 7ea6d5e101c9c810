package dev.kvstore.node.replica;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoredValueTest {

    @Test
    void equalContentTypesShareOneInstance() {
        StoredValue a = new StoredValue(new byte[] {1}, new String("text/plain; charset=utf-8"), 1);
        StoredValue b = new StoredValue(new byte[] {2}, new String("text/plain; charset=utf-8"), 2);

        assertThat(a.contentType()).isEqualTo("text/plain; charset=utf-8").isSameAs(b.contentType());
        assertThat(new StoredValue(new byte[0], null, 1).contentType()).isNull();
    }

    @Test
    void pastItsLimitTheSharingStartsAgainWithTheNewTypes() {
        ContentTypes types = new ContentTypes(2);
        String json = types.share(new String("application/json"));
        types.share("text/plain");

        String third = new String("text/csv");
        assertThat(types.share(third)).isSameAs(third);
        assertThat(types.share(new String("text/csv"))).isSameAs(third);
        assertThat(types.share(new String("application/json"))).as("forgotten, shared anew")
                .isEqualTo(json).isNotSameAs(json);
    }
}
