package dev.kvstore.node.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WatermarkTest {

    @Test
    void aSizeIsAFixedNumberOfFreeBytesWhateverTheFileSystem() {
        Watermark high = Watermark.of("500MB");
        assertThat(high.freeBytesOn(1L << 40)).isEqualTo(500L * 1024 * 1024);
        assertThat(high.freeBytesOn(1L << 20)).isEqualTo(500L * 1024 * 1024);
        assertThat(high).hasToString("500MB");
    }

    @Test
    void aPercentageIsAShareOfTheFileSystemRoundedUp() {
        Watermark high = Watermark.of(" 5% ");
        assertThat(high.freeBytesOn(1000)).isEqualTo(50);
        assertThat(high.freeBytesOn(1001)).isEqualTo(51);
        assertThat(Watermark.of("0.5%").freeBytesOn(1000)).isEqualTo(5);
        assertThat(Watermark.of("0.5%")).hasToString("0.5%");
        assertThat(high).hasToString("5%");
    }

    @Test
    void anythingElseIsRefusedWithWhatAWatermarkLooksLike() {
        for (String bad : new String[] {"", "lots", "-5%", "120%", "5 percent"}) {
            assertThatThrownBy(() -> Watermark.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("500MB");
        }
    }
}
