package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserAgentMatcherTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' vs ''{1}'' -> {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "some user agent | some user agent | true",
                "some user agent | Some user agent | false",
                "some user agent | SOME USER AGENT | false",
                "some user agent | `some user agent ` | false",
                "some user agent | ` some user agent` | false",
                "some user agent | some  user agent | false",
                "some user agent | some user agen | false",
                "Mozilla/5.0 (X11; Linux x86_64) \"q\" 'x' \\ ; , % _ * | Mozilla/5.0 (X11; Linux x86_64) \"q\" 'x' \\ ; , % _ * | true",
                "Mozilla/5.0 (X11; Linux x86_64) \"q\" | Mozilla/5.0 (X11; Linux x86_64) 'q' | false",
                "Agent ünïcödé 日本語 🚀 | Agent ünïcödé 日本語 🚀 | true",
                "Agent ünïcödé | Agent unicode | false",
                "ǅ | ǆ | false",
            })
    void matchesExactlyAndCaseSensitively(String configured, String value, boolean expected) {
        UserAgentMatcher matcher = new UserAgentMatcher(configured);
        assertThat(matcher.matches(value)).isEqualTo(expected);
        assertThat(matcher.matches(Binary.fromConstantByteArray(value.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(expected);
        assertThat(matcher.matches(Binary.fromString(value))).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void nullNeverMatches() {
        UserAgentMatcher matcher = new UserAgentMatcher("some user agent");
        assertThat(matcher.matches((String) null)).isFalse();
        assertThat(matcher.matches((Binary) null)).isFalse();
        assertThat(new UserAgentMatcher("").matches((Binary) null)).isFalse();
        assertThat(new UserAgentMatcher("").matches(Binary.fromString(""))).isTrue();
    }

    @org.junit.jupiter.api.Test
    void comparesOnlyTheValueBytesOfASlice() {
        byte[] buffer = "xxsome user agentyy".getBytes(StandardCharsets.UTF_8);
        assertThat(new UserAgentMatcher("some user agent").matches(Binary.fromConstantByteArray(buffer, 2, 15)))
                .isTrue();
    }
}
