// Writes event files in the job's nested schema with three Parquet writers that are not parquet-java:
// DuckDB, Polars (its own Rust writer) and arrow-rs (through parquet-wasm). Every file holds the
// reference user agent, near misses, nulls and other agents, with creation times over two or three
// hours; manifest.tsv beside the files says what each file is and what the job must count in it.
//
//   node write-files.mjs <output folder> <time zone of the wall-clock hours, e.g. Europe/Copenhagen>
//
// manifest.tsv columns: file, writer, case, codec (the Parquet codec the file claims), layout (claims
// about its pages that ForeignWriterFilesTest checks), rows, matched (rows of the reference agent),
// nameHour (the file name's date-hour), recordHours (matched rows with a creation time, per wall-clock
// date-hour of that time in the zone).
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pl from 'nodejs-polars';
import * as arrow from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';

const REFERENCE_AGENT = 'some user agent';
const NEAR_MISSES = ['Some User Agent', 'some user agent ', ' some user agent', 'some user agen'];
const OTHER_AGENTS = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/101.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 15_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
    'Mozilla/5.0 (X11; Linux x86_64; rv:100.0) Gecko/20100101 Firefox/100.0',
    'Dalvik/2.1.0 (Linux; U; Android 12; SM-G991B Build/SP1A.210812.016)',
];

/**
 * One case per codec that DuckDB and Polars both offer, by the name they take it by and the Parquet
 * codec they then write (both write 'lz4' as LZ4_RAW; Polars would write 'lzo' as UNCOMPRESSED).
 */
function everyCodec(writer) {
    const codecs = { uncompressed: 'UNCOMPRESSED', snappy: 'SNAPPY', gzip: 'GZIP', zstd: 'ZSTD', brotli: 'BROTLI', lz4: 'LZ4_RAW' };
    return Object.entries(codecs).map(([name, codec]) => ({ writer, name, codec, options: { compression: name } }));
}

// One row per case: which writer, what it is asked for, and what the file must then show.
// distinctAgents: every other agent is unique, so a dictionary outgrows a small page size limit.
const CASES = [
    ...everyCodec('duckdb'),
    // DuckDB's PARQUET_VERSION v2 means the format's newer encodings, still in v1 data pages
    { writer: 'duckdb', name: 'brotli-v2-encodings', codec: 'BROTLI', distinctAgents: true,
      layout: ['creationTimeEncoding=DELTA_BINARY_PACKED', 'userAgentEncoding=DELTA_LENGTH_BYTE_ARRAY'],
      options: { compression: 'brotli', version: 'v2' } },
    { writer: 'duckdb', name: 'zstd-many-row-groups', codec: 'ZSTD', rows: 12000, layout: ['rowGroups>=5'],
      options: { compression: 'zstd', rowGroupSize: 2048 } },
    ...everyCodec('polars'),
    { writer: 'polars', name: 'brotli-many-row-groups', codec: 'BROTLI', layout: ['rowGroups>=10'],
      options: { compression: 'brotli', rowGroupSize: 400 } },
    { writer: 'arrow-rs', name: 'lz4-hadoop', codec: 'LZ4', options: { compression: 'LZ4' } },
    // a page far larger than the 256 KiB block buffer of Hadoop's own Lz4Codec
    { writer: 'arrow-rs', name: 'lz4-hadoop-large-pages', codec: 'LZ4', rows: 30000, distinctAgents: true,
      layout: ['pageBytes>=1000000'], options: { compression: 'LZ4', dictionary: false, dataPageSizeLimit: 4 << 20 } },
    { writer: 'arrow-rs', name: 'lz4-hadoop-data-page-v2', codec: 'LZ4', layout: ['pages=v2'],
      options: { compression: 'LZ4', writerVersion: 'V2' } },
    { writer: 'arrow-rs', name: 'brotli-data-page-v2', codec: 'BROTLI', layout: ['pages=v2'],
      options: { compression: 'BROTLI', writerVersion: 'V2' } },
    { writer: 'arrow-rs', name: 'snappy-dictionary-fallback', codec: 'SNAPPY', rows: 8000, distinctAgents: true,
      layout: ['dictionaryFallback', 'rowGroups>=4'],
      options: { compression: 'SNAPPY', dictionaryPageSizeLimit: 4096, dataPageSizeLimit: 2048, writeBatchSize: 64, maxRowGroupSize: 2000 } },
    { writer: 'arrow-rs', name: 'lz4-raw', codec: 'LZ4_RAW', options: { compression: 'LZ4_RAW' } },
];

const [outDir, zone] = process.argv.slice(2);
if (!outDir || !zone) {
    console.error('usage: node write-files.mjs <output folder> <time zone>');
    process.exit(2);
}
mkdirSync(outDir, { recursive: true });

/** A small seeded generator (mulberry32), so that every run writes the same files. */
function random(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const wallClock = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hourCycle: 'h23',
});
function local(epochMillis) {
    const parts = Object.fromEntries(wallClock.formatToParts(new Date(epochMillis)).map(p => [p.type, p.value]));
    return parts;
}
function dateHour(epochMillis) {
    const p = local(epochMillis);
    return `${p.year}-${p.month}-${p.day}T${p.hour}:00`;
}
function stamp(epochMillis) {
    const p = local(epochMillis);
    return `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}${p.fractionalSecond}`;
}

/** The rows of file number {@code index}: its last creation time is its file name time. */
function rowsOf(index, spec) {
    const next = random(1000 + index);
    const count = spec.rows ?? 5000;
    // files 83 minutes apart from 2022-05-26 06:00Z, so their hours cover two days and one crosses midnight
    const end = Date.UTC(2022, 4, 26, 6, 0, 0) + index * 83 * 60_000 + 12_345;
    const span = 100 * 60_000;
    const rows = { eventId: [], agent: [], browserId: [], creationTime: [], producerTime: [], ip: [], end };
    for (let i = 0; i < count; i++) {
        const r = next();
        let agent;
        if (r < 0.30) agent = REFERENCE_AGENT;
        else if (r < 0.38) agent = NEAR_MISSES[i % NEAR_MISSES.length];
        else if (r < 0.45) agent = null;
        else if (spec.distinctAgents) agent = `${OTHER_AGENTS[i % OTHER_AGENTS.length]} build/${index}.${i}`;
        else agent = OTHER_AGENTS[i % OTHER_AGENTS.length];
        // the last row carries the file name time; a few rows have no creation time
        const time = i === count - 1 ? end : next() < 0.02 ? null : end - Math.floor(next() * span);
        rows.eventId.push(index * 1_000_000 + i);
        rows.agent.push(agent);
        rows.browserId.push(i % 7 === 0 ? null : i % 50);
        rows.creationTime.push(time);
        rows.producerTime.push(time === null ? null : time + 5);
        rows.ip.push(`10.${index}.${(i >> 8) & 255}.${i & 255}`);
    }
    return rows;
}

function expected(rows) {
    let matched = 0;
    const recordHours = new Map();
    for (let i = 0; i < rows.agent.length; i++) {
        if (rows.agent[i] !== REFERENCE_AGENT) continue;
        matched++;
        if (rows.creationTime[i] !== null) {
            const hour = dateHour(rows.creationTime[i]);
            recordHours.set(hour, (recordHours.get(hour) ?? 0) + 1);
        }
    }
    return { matched, nameHour: dateHour(rows.end), recordHours };
}

async function writeDuckdb(connection, rows, path, options) {
    await connection.run(`CREATE OR REPLACE TABLE events (event_id BIGINT, user_agent VARCHAR, browser_id INTEGER,
        creation_time BIGINT, producer_time BIGINT, ip VARCHAR)`);
    const appender = await connection.createAppender('events');
    for (let i = 0; i < rows.eventId.length; i++) {
        appender.appendBigInt(BigInt(rows.eventId[i]));
        rows.agent[i] === null ? appender.appendNull() : appender.appendVarchar(rows.agent[i]);
        rows.browserId[i] === null ? appender.appendNull() : appender.appendInteger(rows.browserId[i]);
        rows.creationTime[i] === null ? appender.appendNull() : appender.appendBigInt(BigInt(rows.creationTime[i]));
        rows.producerTime[i] === null ? appender.appendNull() : appender.appendBigInt(BigInt(rows.producerTime[i]));
        appender.appendVarchar(rows.ip[i]);
        appender.endRow();
    }
    appender.closeSync();
    const copyOptions = [`FORMAT parquet`, `COMPRESSION '${options.compression}'`];
    if (options.version) copyOptions.push(`PARQUET_VERSION ${options.version}`);
    if (options.rowGroupSize) copyOptions.push(`ROW_GROUP_SIZE ${options.rowGroupSize}`);
    await connection.run(`COPY (SELECT
            {'creation_time': creation_time, 'producer_time': producer_time} AS transaction_header,
            {'user_agent': user_agent, 'browser_id': browser_id} AS device_settings,
            event_id, ip
        FROM events ORDER BY event_id) TO '${path.replaceAll("'", "''")}' (${copyOptions.join(', ')})`);
}

function writePolars(rows, path, options) {
    const frame = pl.DataFrame([
        pl.Series('event_id', rows.eventId, pl.Int64),
        pl.Series('user_agent', rows.agent, pl.Utf8),
        pl.Series('browser_id', rows.browserId, pl.Int32),
        pl.Series('creation_time', rows.creationTime, pl.Int64),
        pl.Series('producer_time', rows.producerTime, pl.Int64),
        pl.Series('ip', rows.ip, pl.Utf8),
    ]);
    const sinkOptions = { compression: options.compression };
    if (options.rowGroupSize) sinkOptions.rowGroupSize = options.rowGroupSize;
    frame.lazy().select(
        pl.struct([pl.col('creation_time'), pl.col('producer_time')]).alias('transaction_header'),
        pl.struct([pl.col('user_agent'), pl.col('browser_id')]).alias('device_settings'),
        pl.col('event_id'), pl.col('ip'),
    ).sinkParquet(path, sinkOptions).collectSync();
}

function writeArrowRs(rows, path, options) {
    const struct = (fields) => arrow.makeVector(arrow.makeData({
        type: new arrow.Struct(fields.map(([name, vector]) => new arrow.Field(name, vector.type, true))),
        length: rows.eventId.length,
        children: fields.map(([, vector]) => vector.data[0]),
    }));
    const int64 = (values) => arrow.vectorFromArray(values.map(v => v === null ? null : BigInt(v)), new arrow.Int64());
    const table = new arrow.Table({
        transaction_header: struct([['creation_time', int64(rows.creationTime)], ['producer_time', int64(rows.producerTime)]]),
        device_settings: struct([['user_agent', arrow.vectorFromArray(rows.agent, new arrow.Utf8())],
                                 ['browser_id', arrow.vectorFromArray(rows.browserId, new arrow.Int32())]]),
        event_id: int64(rows.eventId),
        ip: arrow.vectorFromArray(rows.ip, new arrow.Utf8()),
    });
    let properties = new parquetWasm.WriterPropertiesBuilder()
        .setCompression(parquetWasm.Compression[options.compression])
        .setWriterVersion(parquetWasm.WriterVersion[options.writerVersion ?? 'V1']);
    if (options.dictionary === false) properties = properties.setDictionaryEnabled(false);
    if (options.dictionaryPageSizeLimit) properties = properties.setDictionaryPageSizeLimit(options.dictionaryPageSizeLimit);
    if (options.dataPageSizeLimit) properties = properties.setDataPageSizeLimit(options.dataPageSizeLimit);
    if (options.writeBatchSize) properties = properties.setWriteBatchSize(options.writeBatchSize);
    if (options.maxRowGroupSize) properties = properties.setMaxRowGroupSize(options.maxRowGroupSize);
    const bytes = parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), properties.build());
    writeFileSync(path, bytes);
}

const duckdb = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
const manifest = ['file\twriter\tcase\tcodec\tlayout\trows\tmatched\tnameHour\trecordHours'];
for (const [index, spec] of CASES.entries()) {
    const rows = rowsOf(index, spec);
    const kind = index % 3 === 2 ? 'clicks' : 'impressions';
    const file = `${kind}_processed_dk_${stamp(rows.end)}_${4000 + index}-${5000 + index}_${index % 2}.parquet`;
    const path = join(outDir, file);
    if (spec.writer === 'duckdb') await writeDuckdb(duckdb, rows, path, spec.options);
    else if (spec.writer === 'polars') writePolars(rows, path, spec.options);
    else writeArrowRs(rows, path, spec.options);
    const e = expected(rows);
    const hours = [...e.recordHours.entries()].sort().map(([h, n]) => `${h}=${n}`).join(',');
    manifest.push([file, spec.writer, spec.name, spec.codec, ['pages=' + (spec.layout?.includes('pages=v2') ? 'v2' : 'v1'),
        ...(spec.layout ?? []).filter(l => !l.startsWith('pages='))].join(','),
        rows.eventId.length, e.matched, e.nameHour, hours].join('\t'));
}
writeFileSync(join(outDir, 'manifest.tsv'), manifest.join('\n') + '\n');
console.log(`wrote ${CASES.length} files to ${outDir}`);
