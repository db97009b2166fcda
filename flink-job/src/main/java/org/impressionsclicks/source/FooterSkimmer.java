package org.impressionsclicks.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Reads from a Parquet footer only what the job needs: the row counts, and for a few leaf columns
 * (the user agent, the creation time) each row group's chunk location, codec and statistics. The
 * other ~543 column chunks of each row group are skipped field by field in the Thrift bytes
 * ({@link CompactThrift}), without an object per chunk.
 *
 * <p>Where those columns sit in the schema, their definition levels and whether they have the
 * expected type is worked out once per distinct schema: the schema's bytes are the cache key (all
 * files of one upstream share them), and only a new schema is parsed by parquet-java, whose
 * {@code MessageType} also words a rejection exactly as before ("no column ...", "column ... is
 * optional int32 user_agent, expected a single BINARY").
 *
 * <p>Safe for use by several threads.
 */
final class FooterSkimmer {

    /** Distinct schemas remembered; more than a handful means something other than upstream files. */
    private static final int MAX_SCHEMAS = 64;

    // Field ids of parquet.thrift
    private static final int FILE_SCHEMA = 2;
    private static final int FILE_NUM_ROWS = 3;
    private static final int FILE_ROW_GROUPS = 4;
    private static final int FILE_COLUMN_ORDERS = 7;
    private static final int FILE_ENCRYPTION_ALGORITHM = 8;
    private static final int ROW_GROUP_COLUMNS = 1;
    private static final int ROW_GROUP_NUM_ROWS = 3;
    private static final int CHUNK_FILE_PATH = 1;
    private static final int CHUNK_META_DATA = 3;
    private static final int CHUNK_CRYPTO_META_DATA = 8;
    private static final int CHUNK_ENCRYPTED_META_DATA = 9;
    private static final int META_TYPE = 1;
    private static final int META_PATH = 3;
    private static final int META_CODEC = 4;
    private static final int META_NUM_VALUES = 5;
    private static final int META_COMPRESSED_SIZE = 7;
    private static final int META_DATA_PAGE_OFFSET = 9;
    private static final int META_DICTIONARY_PAGE_OFFSET = 11;
    private static final int META_STATISTICS = 12;
    private static final int STATS_NULL_COUNT = 3;
    private static final int STATS_MAX_VALUE = 5;
    private static final int STATS_MIN_VALUE = 6;
    private static final int ORDER_TYPE_DEFINED = 1;

    private final List<String[]> paths;
    private final List<PrimitiveTypeName> types;
    /** The schemas seen, newest first. */
    private final List<Columns> schemas = new CopyOnWriteArrayList<>();

    /** Reads the chunks of {@code paths}, each required to be a non-repeated leaf of the given type. */
    FooterSkimmer(List<String[]> paths, List<PrimitiveTypeName> types) {
        this.paths = List.copyOf(paths);
        this.types = List.copyOf(types);
    }

    /**
     * Skims the footer in {@code bytes[from, to)} (the serialized {@code FileMetaData}).
     *
     * @throws InvalidEventFileException when the footer is corrupt, the file is encrypted, or a
     *     column is missing or of the wrong type
     */
    Footer skim(byte[] bytes, int from, int to) throws InvalidEventFileException {
        CompactThrift thrift = new CompactThrift(bytes, from, to);
        Columns columns = null;
        long rows = -1;
        List<RowGroup> rowGroups = null;
        int rowGroupsAt = -1;
        boolean[] typeDefinedOrder = new boolean[paths.size()];
        int id = 0;
        int type;
        while (rowGroups == null
                || !rowGroups.isEmpty() && !rowGroups.get(rowGroups.size() - 1).cutShort()) {
            if ((type = thrift.nextField(id)) == CompactThrift.STOP) {
                break;
            }
            id = thrift.fieldId();
            switch (id) {
                case FILE_SCHEMA:
                    expect(type, CompactThrift.LIST, "schema");
                    columns = columns(thrift, bytes, from, to);
                    if (columns.rejection != null) {
                        throw new InvalidEventFileException(columns.rejection);
                    }
                    break;
                case FILE_NUM_ROWS:
                    expect(type, CompactThrift.I64, "num_rows");
                    rows = thrift.readI64();
                    break;
                case FILE_ROW_GROUPS:
                    expect(type, CompactThrift.LIST, "row_groups");
                    if (columns == null) { // schema after the row groups: legal Thrift, never seen
                        rowGroupsAt = thrift.position();
                        thrift.skip(type);
                    } else {
                        rowGroups = rowGroups(thrift, columns, rows);
                    }
                    break;
                case FILE_COLUMN_ORDERS:
                    expect(type, CompactThrift.LIST, "column_orders");
                    columnOrders(thrift, columns, typeDefinedOrder);
                    break;
                case FILE_ENCRYPTION_ALGORITHM:
                    throw new InvalidEventFileException("encrypted Parquet file, which this job does not read");
                default:
                    thrift.skip(type);
            }
        }
        if (columns == null || rows < 0) {
            throw CompactThrift.corrupt("footer without schema or num_rows");
        }
        if (rowGroups == null) {
            rowGroups = rowGroupsAt < 0 ? List.of() : rowGroups(new CompactThrift(bytes, rowGroupsAt, to), columns, -1);
        }
        return new Footer(rows, rowGroups, columns.maxDefinition, typeDefinedOrder, bytes, thrift.position() - from);
    }

    private static void expect(int type, int expected, String field) throws InvalidEventFileException {
        if (type != expected) {
            throw CompactThrift.corrupt(field + " of Thrift type " + type);
        }
    }

    // ---- schema: resolved once per distinct schema bytes

    /**
     * The columns of the schema list at the cursor, which is left after the list. A schema seen
     * before is recognised by comparing its bytes in place, without walking them.
     */
    private Columns columns(CompactThrift thrift, byte[] bytes, int footerFrom, int footerTo)
            throws InvalidEventFileException {
        int schemaFrom = thrift.position();
        for (Columns known : schemas) {
            int n = known.schemaBytes.length;
            if (n <= footerTo - schemaFrom
                    && Arrays.equals(known.schemaBytes, 0, n, bytes, schemaFrom, schemaFrom + n)) {
                thrift.skipBytes(n); // the same bytes would walk to the same end
                return known;
            }
        }
        thrift.skip(CompactThrift.LIST);
        Columns resolved = resolve(
                schemaOf(bytes, footerFrom, footerTo), Arrays.copyOfRange(bytes, schemaFrom, thrift.position()));
        if (schemas.size() >= MAX_SCHEMAS) {
            schemas.clear();
        }
        schemas.add(0, resolved);
        return resolved;
    }

    /** The schema as parquet-java reads it (once per distinct schema, so its cost doesn't matter). */
    private static MessageType schemaOf(byte[] bytes, int from, int to) throws InvalidEventFileException {
        try {
            return new ParquetMetadataConverter()
                    .readParquetMetadata(
                            new ByteArrayInputStream(bytes, from, to - from), ParquetMetadataConverter.SKIP_ROW_GROUPS)
                    .getFileMetaData()
                    .getSchema();
        } catch (IOException | RuntimeException e) {
            throw CompactThrift.corrupt("schema: " + e.getMessage());
        }
    }

    private Columns resolve(MessageType schema, byte[] schemaBytes) {
        List<ColumnDescriptor> leaves = schema.getColumns();
        int[] leaf = new int[paths.size()];
        int[] maxDefinition = new int[paths.size()];
        for (int c = 0; c < paths.size(); c++) {
            String[] path = paths.get(c);
            String name = String.join(".", path);
            if (!schema.containsPath(path)) {
                return Columns.rejected(schemaBytes, leaves.size(), "no column " + name);
            }
            ColumnDescriptor column = schema.getColumnDescription(path);
            if (column.getPrimitiveType().getPrimitiveTypeName() != types.get(c)
                    || column.getMaxRepetitionLevel() != 0) {
                return Columns.rejected(
                        schemaBytes,
                        leaves.size(),
                        "column " + name + " is " + column.getPrimitiveType() + ", expected a single " + types.get(c));
            }
            leaf[c] = leaves.indexOf(column);
            maxDefinition[c] = column.getMaxDefinitionLevel();
        }
        return new Columns(schemaBytes, leaves.size(), leaf, maxDefinition, null);
    }

    // ---- row groups: the wanted chunks parsed, every other chunk skipped

    /**
     * The row groups. A file's only row group is cut short after its last wanted column chunk when
     * the file's row count is known ({@code fileRows} ≥ 0): its rows are the file's, and the rest
     * of the footer (the remaining chunks, the column orders, key-value metadata) is not read. For
     * an upstream file, with the user agent at leaf 65 of 545, that skips most of the footer's
     * bytes. A file of several row groups is read to the end: its column orders make statistics
     * usable for skipping whole row groups, which pays there.
     */
    private List<RowGroup> rowGroups(CompactThrift thrift, Columns columns, long fileRows)
            throws InvalidEventFileException {
        thrift.listHeader();
        int n = thrift.listSize();
        List<RowGroup> groups = new ArrayList<>(n);
        for (int g = 0; g < n; g++) {
            groups.add(rowGroup(thrift, columns, n == 1 ? fileRows : -1));
        }
        return groups;
    }

    /** @param rowsIfCut the row group's rows when it may be cut short, else -1 */
    private RowGroup rowGroup(CompactThrift thrift, Columns columns, long rowsIfCut) throws InvalidEventFileException {
        Chunk[] chunks = new Chunk[paths.size()];
        long rows = -1;
        boolean cutShort = false;
        int id = 0;
        int type;
        while (!cutShort && (type = thrift.nextField(id)) != CompactThrift.STOP) {
            id = thrift.fieldId();
            if (id == ROW_GROUP_COLUMNS) {
                expect(type, CompactThrift.LIST, "columns");
                expect(thrift.listHeader(), CompactThrift.STRUCT, "column chunk");
                int n = thrift.listSize();
                if (n != columns.leafCount) {
                    throw CompactThrift.corrupt(
                            "row group of " + n + " column chunks for " + columns.leafCount + " columns");
                }
                for (int i = 0; i < n; i++) {
                    int c = columns.slotOfLeaf(i);
                    if (c >= 0) {
                        chunks[c] = chunk(thrift, c);
                    } else if (rowsIfCut >= 0 && i > columns.lastLeaf) {
                        rows = rowsIfCut;
                        cutShort = true;
                        break;
                    } else {
                        thrift.skipStruct();
                    }
                }
            } else if (id == ROW_GROUP_NUM_ROWS) {
                expect(type, CompactThrift.I64, "num_rows");
                rows = thrift.readI64();
            } else {
                thrift.skip(type);
            }
        }
        if (rows < 0) {
            throw CompactThrift.corrupt("row group without num_rows");
        }
        for (Chunk chunk : chunks) {
            if (chunk == null) {
                throw CompactThrift.corrupt("row group without column chunks");
            }
            if (chunk.numValues != rows) { // a non-repeated column has a value (maybe null) per row
                throw CompactThrift.corrupt(
                        "column chunk of " + chunk.numValues + " values in a row group of " + rows + " rows");
            }
        }
        return new RowGroup(rows, chunks, cutShort);
    }

    private Chunk chunk(CompactThrift thrift, int c) throws InvalidEventFileException {
        Chunk chunk = null;
        int id = 0;
        int type;
        while ((type = thrift.nextField(id)) != CompactThrift.STOP) {
            id = thrift.fieldId();
            switch (id) {
                case CHUNK_FILE_PATH:
                    throw new InvalidEventFileException("column " + String.join(".", paths.get(c))
                            + " is stored in another file, which this job does not read");
                case CHUNK_META_DATA:
                    expect(type, CompactThrift.STRUCT, "meta_data");
                    chunk = metaData(thrift, c);
                    break;
                case CHUNK_CRYPTO_META_DATA:
                case CHUNK_ENCRYPTED_META_DATA:
                    throw new InvalidEventFileException("encrypted Parquet file, which this job does not read");
                default:
                    thrift.skip(type);
            }
        }
        if (chunk == null) {
            throw CompactThrift.corrupt("column chunk without meta_data");
        }
        return chunk;
    }

    private Chunk metaData(CompactThrift thrift, int c) throws InvalidEventFileException {
        Chunk chunk = new Chunk();
        boolean typeSeen = false;
        boolean pathSeen = false;
        int id = 0;
        int type;
        while ((type = thrift.nextField(id)) != CompactThrift.STOP) {
            id = thrift.fieldId();
            switch (id) {
                case META_TYPE:
                    expect(type, CompactThrift.I32, "type");
                    int physical = thrift.readI32();
                    if (physical != thriftType(types.get(c))) {
                        throw CompactThrift.corrupt("chunk type " + physical + " differs from the schema's");
                    }
                    typeSeen = true;
                    break;
                case META_PATH:
                    expect(type, CompactThrift.LIST, "path_in_schema");
                    requirePath(thrift, paths.get(c));
                    pathSeen = true;
                    break;
                case META_CODEC:
                    expect(type, CompactThrift.I32, "codec");
                    chunk.codec = codec(thrift.readI32());
                    break;
                case META_NUM_VALUES:
                    chunk.numValues = thrift.readI64();
                    break;
                case META_COMPRESSED_SIZE:
                    chunk.compressedSize = thrift.readI64();
                    break;
                case META_DATA_PAGE_OFFSET:
                    chunk.dataPageOffset = thrift.readI64();
                    break;
                case META_DICTIONARY_PAGE_OFFSET:
                    chunk.dictionaryPageOffset = thrift.readI64();
                    break;
                case META_STATISTICS:
                    expect(type, CompactThrift.STRUCT, "statistics");
                    statistics(thrift, chunk);
                    break;
                default:
                    thrift.skip(type);
            }
        }
        if (!typeSeen
                || !pathSeen
                || chunk.codec == null
                || chunk.numValues < 0
                || chunk.compressedSize < 0
                || chunk.dataPageOffset < 0) {
            throw CompactThrift.corrupt("column chunk meta_data incomplete");
        }
        return chunk;
    }

    /** parquet.thrift's {@code Type} of a physical type (parquet-java's enum has another order). */
    private static int thriftType(PrimitiveTypeName type) {
        switch (type) {
            case BOOLEAN:
                return 0;
            case INT32:
                return 1;
            case INT64:
                return 2;
            case INT96:
                return 3;
            case FLOAT:
                return 4;
            case DOUBLE:
                return 5;
            case BINARY:
                return 6;
            default:
                return 7; // FIXED_LEN_BYTE_ARRAY
        }
    }

    private static void requirePath(CompactThrift thrift, String[] path) throws InvalidEventFileException {
        thrift.listHeader();
        int n = thrift.listSize();
        boolean equal = n == path.length;
        for (int i = 0; i < n; i++) {
            int length = thrift.binaryLength();
            if (equal) {
                byte[] name = path[i].getBytes(StandardCharsets.UTF_8);
                equal = Arrays.equals(
                        name, 0, name.length, thrift.bytes(), thrift.position(), thrift.position() + length);
            }
            thrift.skipBytes(length);
        }
        if (!equal) {
            throw CompactThrift.corrupt("column chunks out of schema order");
        }
    }

    private static CompressionCodecName codec(int thriftCodec) throws InvalidEventFileException {
        CompressionCodec codec = CompressionCodec.findByValue(thriftCodec);
        if (codec == null) {
            throw new InvalidEventFileException(
                    "compressed with codec " + thriftCodec + ", which this job does not know");
        }
        return CompressionCodecName.fromParquet(codec);
    }

    private static void statistics(CompactThrift thrift, Chunk chunk) throws InvalidEventFileException {
        int id = 0;
        int type;
        while ((type = thrift.nextField(id)) != CompactThrift.STOP) {
            id = thrift.fieldId();
            if (id == STATS_NULL_COUNT && type == CompactThrift.I64) {
                chunk.nullCount = thrift.readI64();
            } else if ((id == STATS_MIN_VALUE || id == STATS_MAX_VALUE) && type == CompactThrift.BINARY) {
                int length = thrift.binaryLength();
                if (id == STATS_MIN_VALUE) {
                    chunk.minFrom = thrift.position();
                    chunk.minLength = length;
                } else {
                    chunk.maxFrom = thrift.position();
                    chunk.maxLength = length;
                }
                thrift.skipBytes(length);
            } else {
                thrift.skip(type);
            }
        }
    }

    /** Marks the wanted columns whose min/max statistics use the type's defined (unsigned byte) order. */
    private static void columnOrders(CompactThrift thrift, Columns columns, boolean[] typeDefinedOrder)
            throws InvalidEventFileException {
        expect(thrift.listHeader(), CompactThrift.STRUCT, "column order");
        for (int i = 0, n = thrift.listSize(); i < n; i++) {
            int c = columns == null ? -1 : columns.slotOfLeaf(i);
            int id = 0;
            int type;
            while ((type = thrift.nextField(id)) != CompactThrift.STOP) {
                id = thrift.fieldId();
                if (c >= 0 && id == ORDER_TYPE_DEFINED) {
                    typeDefinedOrder[c] = true;
                }
                thrift.skip(type);
            }
        }
    }

    /** Where the wanted columns are in one schema, or why the schema can't be read. */
    private static final class Columns {
        final byte[] schemaBytes;
        final int leafCount;
        final int[] leaf;
        final int[] maxDefinition;
        final String rejection;
        /** The highest leaf index of a wanted column. */
        final int lastLeaf;

        Columns(byte[] schemaBytes, int leafCount, int[] leaf, int[] maxDefinition, String rejection) {
            this.schemaBytes = schemaBytes;
            this.leafCount = leafCount;
            this.leaf = leaf;
            this.lastLeaf = Arrays.stream(leaf).max().orElse(-1);
            this.maxDefinition = maxDefinition;
            this.rejection = rejection;
        }

        static Columns rejected(byte[] schemaBytes, int leafCount, String reason) {
            return new Columns(schemaBytes, leafCount, new int[0], new int[0], reason);
        }

        /** The wanted column at leaf index {@code i}, or -1. */
        int slotOfLeaf(int i) {
            for (int c = 0; c < leaf.length; c++) {
                if (leaf[c] == i) {
                    return c;
                }
            }
            return -1;
        }
    }

    /** What the footer says of one row group's wanted column. Offsets of min/max are into the footer bytes. */
    static final class Chunk {
        CompressionCodecName codec;
        long numValues = -1;
        long compressedSize = -1;
        long dataPageOffset = -1;
        long dictionaryPageOffset = -1;
        long nullCount = -1;
        int minFrom = -1;
        int minLength;
        int maxFrom = -1;
        int maxLength;

        /** Where the chunk's first page starts (some writers put 0 for "no dictionary page"; parquet-java's rule). */
        long start() {
            return dictionaryPageOffset > 0 && dictionaryPageOffset < dataPageOffset
                    ? dictionaryPageOffset
                    : dataPageOffset;
        }

        long length() {
            return compressedSize;
        }
    }

    /** One row group: its row count and the chunks of the wanted columns, in the skimmer's order. */
    record RowGroup(long rows, Chunk[] chunks, boolean cutShort) {}

    /**
     * The skimmed footer: the file's row count, its row groups, and per wanted column its maximum
     * definition level; {@code skimmed}: how many of the footer's bytes the skim read (all of them
     * unless its only row group was cut short).
     */
    record Footer(
            long rows,
            List<RowGroup> rowGroups,
            int[] maxDefinition,
            boolean[] typeDefinedOrder,
            byte[] bytes,
            int skimmed) {

        /** Whether the skim stopped before the footer's end, after the wanted chunks. */
        boolean cutShort() {
            return rowGroups.size() == 1 && rowGroups.get(0).cutShort();
        }
    }
}
