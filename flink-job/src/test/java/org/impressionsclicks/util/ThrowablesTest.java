package org.impressionsclicks.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ThrowablesTest {

    @Test
    void namesTheInnermostCauseAndItsMessage() {
        Exception e = new RuntimeException("outer", new UncheckedIOException("middle", new IOException("disk gone")));
        assertThat(Throwables.rootMessage(e)).isEqualTo("IOException: disk gone");
    }

    @Test
    void anExceptionWithoutCauseOrMessageIsItsClassName() {
        assertThat(Throwables.rootMessage(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(Throwables.rootMessage(new RuntimeException("outer", new IllegalStateException())))
                .isEqualTo("IllegalStateException");
    }
}
