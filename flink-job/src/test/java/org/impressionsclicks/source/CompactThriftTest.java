package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.TypeDefinedOrder;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;
import shaded.parquet.org.apache.thrift.protocol.TProtocolUtil;
import shaded.parquet.org.apache.thrift.transport.TIOStreamTransport;

/**
 * The cursor's skipping against Thrift's own ({@code TProtocolUtil.skip} over {@code TCompactProtocol},
 * as parquet-java ships it): on a footer parquet-format serializes, on every cut of it and on
 * thousands of corrupted copies, it ends where Thrift ends or rejects the bytes, and never throws
 * anything but {@link InvalidEventFileException}.
 */
class CompactThriftTest {

    private static final int PAD = 5; // bytes around the footer, which must not be read
    /** Thrift's TType.STRUCT (the shaded Thrift of parquet-java leaves TType out). */
    private static final byte STRUCT = 12;

    @Test
    void skipsAFooterToItsEnd() throws Exception {
        byte[] footer = footer();
        byte[] padded = pad(footer);
        CompactThrift thrift = new CompactThrift(padded, PAD, PAD + footer.length);
        thrift.skipStruct();
        assertThat(thrift.position()).isEqualTo(PAD + footer.length);
        assertThat(thriftEnd(footer, footer.length)).isEqualTo(footer.length);
    }

    @Test
    void skipsFieldByFieldWhereThriftDoes() throws Exception {
        byte[] footer = footer();
        byte[] padded = pad(footer);
        CompactThrift thrift = new CompactThrift(padded, PAD, PAD + footer.length);
        int id = 0;
        int type;
        int fields = 0;
        while ((type = thrift.nextField(id)) != CompactThrift.STOP) {
            id = thrift.fieldId();
            thrift.skip(type);
            fields++;
        }
        assertThat(fields).isEqualTo(6); // version, schema, num_rows, row_groups, key_value_metadata, column_orders
        assertThat(thrift.position()).isEqualTo(PAD + footer.length);
    }

    @Test
    void rejectsEveryCutOfTheFooter() {
        byte[] footer = footer();
        byte[] padded = pad(footer);
        for (int cut = 0; cut < footer.length; cut++) {
            CompactThrift thrift = new CompactThrift(padded, PAD, PAD + cut);
            assertThatThrownBy(thrift::skipStruct)
                    .as("cut at %d", cut)
                    .isInstanceOf(InvalidEventFileException.class)
                    .hasMessageStartingWith("not a readable Parquet file (corrupt metadata: ");
        }
    }

    @Test
    void agreesWithThriftOnCorruptedFooters() throws Exception {
        byte[] footer = footer();
        Random random = new Random(5);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] corrupted = footer.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                corrupted[random.nextInt(corrupted.length)] = (byte) random.nextInt(256);
            }
            int to = random.nextInt(4) == 0 ? random.nextInt(corrupted.length + 1) : corrupted.length;
            byte[] padded = pad(corrupted);
            int expected = thriftEnd(corrupted, to);
            CompactThrift thrift = new CompactThrift(padded, PAD, PAD + to);
            try {
                thrift.skipStruct();
                assertThat(thrift.position() - PAD)
                        .as("corruption %d: where Thrift ends", i)
                        .isEqualTo(expected);
                accepted++;
            } catch (InvalidEventFileException rejected) {
                assertThat(expected)
                        .as("corruption %d: Thrift rejects it too, not %s", i, rejected.getMessage())
                        .isEqualTo(-1);
                assertThat(rejected).hasMessageStartingWith("not a readable Parquet file (corrupt metadata: ");
            }
        }
        assertThat(accepted).as("corrupted footers still readable as Thrift").isBetween(1_000, 19_000);
    }

    @Test
    void rejectsNestingDeeperThanParquetsOwn() {
        byte[] nested = new byte[200];
        Arrays.fill(nested, (byte) 0x1c); // field 1, struct: one inside the other, never closed
        CompactThrift thrift = new CompactThrift(nested, 0, nested.length);
        assertThatThrownBy(thrift::skipStruct).hasMessageContaining("nested deeper than");
    }

    /** Where Thrift's own skipping of a struct at the start of {@code bytes[0, to)} ends, or -1 if it fails. */
    private static int thriftEnd(byte[] bytes, int to) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes, 0, to);
        try {
            TProtocolUtil.skip(new ParquetThrift(new TIOStreamTransport(in)), STRUCT);
            return to - in.available();
        } catch (Exception | StackOverflowError e) {
            return -1;
        }
    }

    /** Thrift's compact protocol with the types parquet.thrift uses: no UUID (Thrift 0.19's compact type 13). */
    private static final class ParquetThrift extends TCompactProtocol {
        ParquetThrift(TIOStreamTransport transport) {
            super(transport);
        }

        @Override
        public UUID readUuid() throws TException {
            throw new TException("no UUID in parquet.thrift");
        }
    }

    private static byte[] pad(byte[] footer) {
        byte[] padded = new byte[footer.length + 2 * PAD];
        Arrays.fill(padded, (byte) 0x80); // a varint's continuation: reading past the end would show
        System.arraycopy(footer, 0, padded, PAD, footer.length);
        return padded;
    }

    /** A footer as parquet-java writes one: a schema, two row groups of 12 column chunks with statistics. */
    private static byte[] footer() {
        List<SchemaElement> schema = new ArrayList<>();
        schema.add(new SchemaElement("root").setNum_children(12));
        List<ColumnOrder> orders = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            schema.add(new SchemaElement("c" + c)
                    .setType(c % 2 == 0 ? Type.BYTE_ARRAY : Type.INT64)
                    .setRepetition_type(FieldRepetitionType.OPTIONAL));
            orders.add(ColumnOrder.TYPE_ORDER(new TypeDefinedOrder()));
        }
        List<RowGroup> groups = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            List<ColumnChunk> chunks = new ArrayList<>();
            for (int c = 0; c < 12; c++) {
                ColumnMetaData meta = new ColumnMetaData(
                                c % 2 == 0 ? Type.BYTE_ARRAY : Type.INT64,
                                List.of(Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY),
                                List.of("group", "c" + c),
                                CompressionCodec.SNAPPY,
                                1000 + c,
                                123_456L * (c + 1),
                                65_432L * (c + 1),
                                4L + 7_000L * c)
                        .setDictionary_page_offset(4L + 7_000L * c - 300)
                        .setStatistics(new Statistics()
                                .setNull_count(c)
                                .setMin_value(("min of " + c).getBytes())
                                .setMax_value(("the max of column " + c).getBytes()))
                        .setEncoding_stats(List.of(
                                new PageEncodingStats(PageType.DICTIONARY_PAGE, Encoding.PLAIN, 1),
                                new PageEncodingStats(PageType.DATA_PAGE, Encoding.RLE_DICTIONARY, 3)));
                chunks.add(new ColumnChunk(7_000L * c).setMeta_data(meta));
            }
            groups.add(new RowGroup(chunks, 1_000_000L, 1000).setOrdinal((short) g));
        }
        FileMetaData metaData = new FileMetaData(1, schema, 2000, groups)
                .setKey_value_metadata(List.of(new KeyValue("writer.model.name").setValue("example")))
                .setColumn_orders(orders);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Util.writeFileMetaData(metaData, out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
