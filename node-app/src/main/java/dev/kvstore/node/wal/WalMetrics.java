package dev.kvstore.node.wal;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The log's meters. Counters read {@link WriteAheadLog#stats()} when scraped; the fsync timer and the
 * batch-size summary need each event, so this also listens to the log (one Micrometer record per
 * batch, nothing per append).
 */
public final class WalMetrics implements MeterBinder, WalListener {

    private final WriteAheadLog log;
    private volatile Timer fsync;
    private volatile DistributionSummary batchSize;

    public WalMetrics(WriteAheadLog log) {
        this.log = log;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("kv.wal.appends", log, l -> l.stats().appends())
                .description("records appended to the write-ahead log").register(registry);
        FunctionCounter.builder("kv.wal.fsyncs", log, l -> l.stats().fsyncs())
                .description("fsyncs of log segments").register(registry);
        FunctionCounter.builder("kv.wal.bytes", log, l -> l.stats().bytes()).baseUnit(BaseUnits.BYTES)
                .description("framed record bytes written to log segments").register(registry);
        Gauge.builder("kv.wal.segments", log, WalMetrics::segmentFiles)
                .description("log segment files on disk (the current one and those kept for recovery)")
                .register(registry);
        Gauge.builder("kv.wal.writable", log, l -> l.isWritable() ? 1 : 0)
                .description("1 while the log accepts appends, 0 after a failed write or fsync").register(registry);
        fsync = Timer.builder("kv.wal.fsync").description("time one fsync of a log segment took")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(2)).register(registry);
        batchSize = DistributionSummary.builder("kv.wal.batch.size")
                .description("records per write, and so per fsync under fsync=always (group commit)")
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(1024.0)
                .register(registry);
        log.addListener(this);
    }

    @Override
    public void batchWritten(long records, long bytes) {
        DistributionSummary summary = batchSize;
        if (summary != null) {
            summary.record(records);
        }
    }

    @Override
    public void fsynced(long nanos) {
        Timer timer = fsync;
        if (timer != null) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static double segmentFiles(WriteAheadLog log) {
        try {
            return log.segmentFiles();
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
