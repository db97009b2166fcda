package org.impressionsclicks.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.impressionsclicks.model.EventKind;
import org.junit.jupiter.api.Test;

class AdformSchemasTest {

    @Test
    void impressionsAndClicksHaveTheUpstreamShape() {
        assertThat(AdformSchemas.impressions().getColumns()).hasSize(545);
        assertThat(AdformSchemas.clicks().getColumns()).hasSize(518);
        assertThat(AdformSchemas.forKind(EventKind.IMPRESSION)).isSameAs(AdformSchemas.impressions());
        assertThat(AdformSchemas.forKind(EventKind.CLICK)).isSameAs(AdformSchemas.clicks());
    }

    @Test
    void theTwoColumnsTheJobReadsAreThere() {
        for (MessageType schema : new MessageType[] {AdformSchemas.impressions(), AdformSchemas.clicks()}) {
            ColumnDescriptor agent = schema.getColumnDescription(new String[] {"device_settings", "user_agent"});
            assertThat(agent.getPrimitiveType().getPrimitiveTypeName()).isEqualTo(PrimitiveTypeName.BINARY);
            assertThat(agent.getPrimitiveType().getRepetition()).isEqualTo(Type.Repetition.OPTIONAL);
            ColumnDescriptor time = schema.getColumnDescription(new String[] {"transaction_header", "creation_time"});
            assertThat(time.getPrimitiveType().getPrimitiveTypeName()).isEqualTo(PrimitiveTypeName.INT64);
            assertThat(time.getPrimitiveType().getRepetition()).isEqualTo(Type.Repetition.REQUIRED);
        }
    }

    @Test
    void repeatedFieldsAreLegacyTwoLevelOnes() {
        assertThat(AdformSchemas.impressions().toString())
                .contains("repeated binary language_codes (STRING)")
                .doesNotContain("(LIST)");
    }
}
