package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.SplittableRandom;
import org.impressionsclicks.model.EventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventFileNameTest {

    @ParameterizedTest
    @CsvSource({
        "impressions_processed_dk_20220526113212045_172845633-172845636_1.parquet, IMPRESSION, 2022-05-26T11:32:12.045",
        "clicks_processed_dk_20220527120143730_163587241-163587247_0.parquet, CLICK, 2022-05-27T12:01:43.730",
        "clicks_processed_dk_20220527000000000_1-2_0.parquet, CLICK, 2022-05-27T00:00:00",
        "impressions_processed_dk_20220527095959999_1-2_3.parquet, IMPRESSION, 2022-05-27T09:59:59.999",
        "impressions_processed_dk_20221231235959999_1-2_3.parquet, IMPRESSION, 2022-12-31T23:59:59.999",
        "impressions_processed_dk_20240229230000000_1-2_3.parquet, IMPRESSION, 2024-02-29T23:00:00",
    })
    void parsesValidNames(String name, EventKind kind, LocalDateTime time) {
        EventFileName parsed = EventFileName.parse(name).orElseThrow();
        assertThat(parsed.kind()).isEqualTo(kind);
        assertThat(parsed.timestamp()).isEqualTo(time);
    }

    @ParameterizedTest
    @CsvSource({
        "CLICK, 2022-05-27T12:01:43.730999, 163587241-163587247, 0, clicks_processed_dk_20220527120143730_163587241-163587247_0.parquet",
        "IMPRESSION, 2022-05-27T00:00, 1-2, 3, impressions_processed_dk_20220527000000000_1-2_3.parquet",
    })
    void formatsTheNamesItParses(EventKind kind, LocalDateTime time, String ids, int n, String name) {
        assertThat(EventFileName.format(kind, time, ids, n)).isEqualTo(name);
        EventFileName parsed = EventFileName.parse(name).orElseThrow();
        assertThat(parsed.kind()).isEqualTo(kind);
        assertThat(parsed.timestamp()).isEqualTo(time.withNano(time.getNano() / 1_000_000 * 1_000_000));
    }

    @ParameterizedTest
    @CsvSource({"00, 0", "09, 9", "23, 23"})
    void readsTheHourAsWritten(String hh, int hour) {
        EventFileName parsed = EventFileName.parse("clicks_processed_dk_20220527" + hh + "3145108_1-2_1.parquet")
                .orElseThrow();
        assertThat(parsed.timestamp().getHour()).isEqualTo(hour);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "impressions_processed_dk_20231340000000000_1-2_1.parquet", // month 13
                "impressions_processed_dk_20230230000000000_1-2_1.parquet", // 30 February
                "impressions_processed_dk_20230101240000000_1-2_1.parquet", // hour 24
                "impressions_processed_dk_20230101126000000_1-2_1.parquet", // minute 60
            })
    void rejectsImpossibleTimestamps(String name) {
        assertThat(EventFileName.parse(name)).isEmpty();
        assertThat(EventFileName.rejectionReason(name)).startsWith("impossible timestamp");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "views_processed_dk_20220526113212045_1-2_1.parquet",
                "Impressions_processed_dk_20220526113212045_1-2_1.parquet",
                "impressions_processed_dk_2022052611321204_1-2_1.parquet", // 16 digits
                "impressions_processed_dk_20220526113212045_1-2_1.parquet.tmp",
                "impressions_processed_dk_20220526113212045_1-2_1.csv",
                "impressions_processed_dk_20220526113212045.parquet",
                "impressions_processed_20220526113212045_1-2_1.parquet",
                "readme.txt",
                "",
            })
    void rejectsOtherNames(String name) {
        assertThat(EventFileName.parse(name)).isEmpty();
        assertThat(EventFileName.rejectionReason(name)).startsWith("name does not match");
    }

    @ParameterizedTest
    @CsvSource({
        ".impressions_processed_dk_20220526113212045_1-2_1.parquet, true",
        "_impressions_processed_dk_20220526113212045_1-2_1.parquet, true",
        "impressions_processed_dk_20220526113212045_1-2_1.parquet.tmp, true",
        "impressions_processed_dk_20220526113212045_1-2_1.parquet.inprogress, true",
        "impressions_processed_dk_20220526113212045_1-2_1.parquet, false",
        "impressions_processed_dk_20220526113212045_1-2_1.tmp.parquet, false",
        "readme.txt, false",
    })
    void hiddenAndTemporaryNamesAreUploadsInProgress(String name, boolean inProgress) {
        assertThat(EventFileName.isInProgress(name)).isEqualTo(inProgress);
    }

    @Test
    void readsTimestampsExactlyAsTheStrictFormatterDoes() {
        DateTimeFormatter strict =
                DateTimeFormatter.ofPattern("uuuuMMddHHmmssSSS").withResolverStyle(ResolverStyle.STRICT);
        SplittableRandom random = new SplittableRandom(7);
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            // each field around its valid range, so that both sides of every bound come up
            String digits = String.format(
                    "%04d%02d%02d%02d%02d%02d%03d",
                    random.nextInt(10_000),
                    random.nextInt(14),
                    random.nextInt(33),
                    random.nextInt(26),
                    random.nextInt(62),
                    random.nextInt(62),
                    random.nextInt(1000));
            Optional<LocalDateTime> expected;
            try {
                expected = Optional.of(LocalDateTime.parse(digits, strict));
                valid++;
            } catch (DateTimeParseException e) {
                expected = Optional.empty();
            }
            assertThat(EventFileName.parse("clicks_processed_dk_" + digits + "_1-2_0.parquet")
                            .map(EventFileName::timestamp))
                    .as(digits)
                    .isEqualTo(expected);
        }
        assertThat(valid).as("valid timestamps among them").isBetween(50_000, 150_000);
    }

    @Test
    void matchesNamesExactlyAsItsPatternDoes() {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(EventFileName.PATTERN);
        String[] seeds = {
            "impressions_processed_dk_20220526113212045_172845633-172845636_1.parquet",
            "clicks_processed_dk_20220527120143730_1-2_0.parquet",
            "clicks_processed_dk_20220527120143730_.parquet",
        };
        String alphabet = "0123456789_/.-aipcksqrt\u0663\n";
        SplittableRandom random = new SplittableRandom(11);
        int matching = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder name = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            for (int edits = random.nextInt(4); edits > 0; edits--) { // replace, insert or delete a character
                int at = random.nextInt(name.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> name.insert(at, c);
                    case 1 -> {
                        if (at < name.length()) {
                            name.setCharAt(at, c);
                        }
                    }
                    default -> {
                        if (at < name.length()) {
                            name.deleteCharAt(at);
                        }
                    }
                }
            }
            java.util.regex.Matcher m = pattern.matcher(name);
            boolean matches = m.matches();
            matching += matches ? 1 : 0;
            assertThat(EventFileName.timestampAt(name.toString()))
                    .as("'%s'", name)
                    .isEqualTo(matches ? m.start(2) : -1);
        }
        assertThat(matching).as("matching names among them").isBetween(10_000, 90_000);
    }
}
