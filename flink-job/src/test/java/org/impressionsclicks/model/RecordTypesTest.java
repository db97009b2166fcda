package org.impressionsclicks.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The records of the job's streams and state are Flink POJOs: serialized field by field, never by
 * Kryo (generic types are disabled here, so a field Flink can't type fails), and whole after a round
 * trip through their serializer: every field survives it, and the copy equals the original.
 */
class RecordTypesTest {

    private static final long HOUR = DateHours.hourStart(LocalDateTime.parse("2022-05-27T11:31:45"));

    static Stream<Object> records() {
        String name = "clicks_processed_dk_20220527113145108_1-2_1.parquet";
        FileHour hour = new FileHour(name, EventKind.CLICK, HOUR, 5);
        FileHour next = new FileHour(name, EventKind.CLICK, HOUR + DateHours.HOUR_MILLIS, 2);
        FileResult read = FileResult.read(name, EventKind.CLICK, HOUR, next.hourStart, 13, 7);
        FileResult rejected = FileResult.rejected("x.parquet", null, Long.MIN_VALUE, "name does not match");
        return Stream.of(
                new CountedFile(read, new FileHour[] {hour, next}),
                CountedFile.withoutHours(rejected),
                read,
                rejected,
                hour,
                new HourlyCount(HOUR, 4, 3),
                new FileAudit(name, "clicks", HOUR, 13, 7, FileAudit.LOADED, null),
                new FileAudit("x.parquet", null, Long.MIN_VALUE, 0, 0, FileAudit.REJECTED, "name does not match"),
                new DailyReport("2022-05-27", "date,hour,impression_count,click_count\n2022-05-27,11,4,3\n"));
    }

    @ParameterizedTest
    @MethodSource("records")
    void isAPojoSerializedWithoutKryo(Object record) {
        TypeInformation<?> type = TypeInformation.of(record.getClass());
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        assertThat(serializer(type)).isNotNull(); // throws for a generic type anywhere inside
    }

    @ParameterizedTest
    @MethodSource("records")
    @SuppressWarnings("unchecked")
    void survivesItsSerializerWhole(Object record) throws Exception {
        TypeSerializer<Object> serializer = (TypeSerializer<Object>) serializer(TypeInformation.of(record.getClass()));
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);
        Object copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy).isNotSameAs(record).usingRecursiveComparison().isEqualTo(record);
        assertThat(copy).isEqualTo(record).hasSameHashCodeAs(record);
    }

    private static TypeSerializer<?> serializer(TypeInformation<?> type) {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        return type.createSerializer(config);
    }
}
