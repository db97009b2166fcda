package org.apache.flink.runtime.executiongraph.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.util.clock.ManualClock;
import org.impressionsclicks.testing.Repo;
import org.junit.jupiter.api.Test;

/**
 * The restart strategy of {@code conf/config.yaml} (the embedded cluster's and the standalone
 * cluster's), run by Flink's own strategy code through a long outage on a manual clock. It lives in
 * Flink's package because only there can the strategy be given a clock to fast-forward.
 */
class ConfiguredRestartStrategyTest {

    private static final long MAX_BACKOFF = Duration.ofMinutes(1).toMillis();
    /** The configured jitter may stretch a backoff by up to 10 %. */
    private static final long MAX_BACKOFF_WITH_JITTER = MAX_BACKOFF + MAX_BACKOFF / 10;

    private static ExponentialDelayRestartBackoffTimeStrategy onManualClock(ManualClock clock) {
        Configuration conf = GlobalConfiguration.loadConfiguration(Repo.conf().toString());
        RestartBackoffTimeStrategy configured =
                RestartBackoffTimeStrategyFactoryLoader.createRestartBackoffTimeStrategyFactory(conf, conf, true)
                        .create();
        assertThat(configured).isInstanceOf(ExponentialDelayRestartBackoffTimeStrategy.class);
        ExponentialDelayRestartBackoffTimeStrategy s = (ExponentialDelayRestartBackoffTimeStrategy) configured;
        return new ExponentialDelayRestartBackoffTimeStrategy(
                clock,
                s.getInitialBackoffMS(),
                s.getMaxBackoffMS(),
                s.getBackoffMultiplier(),
                s.getResetBackoffThresholdMS(),
                s.getJitterFactor(),
                s.getAttemptsBeforeResetBackoff());
    }

    /** A restart that fails again at once, as while PostgreSQL is down: returns the backoff waited. */
    private static long failNow(ExponentialDelayRestartBackoffTimeStrategy strategy, ManualClock clock) {
        assertThat(strategy.notifyFailure(new RuntimeException("Connection refused")))
                .isTrue();
        assertThat(strategy.canRestart()).as("the job may restart").isTrue();
        long backoff = strategy.getBackoffTime();
        clock.advanceTime(Duration.ofMillis(backoff + 1));
        return backoff;
    }

    @Test
    void aMonthLongOutageNeverEndsTheJobAndRestartsAtMostAboutOnceAMinute() {
        ManualClock clock = new ManualClock(Duration.ofDays(1).toNanos());
        ExponentialDelayRestartBackoffTimeStrategy strategy = onManualClock(clock);
        long start = clock.absoluteTimeMillis();
        int restarts = 0;
        long longest = 0;
        while (clock.absoluteTimeMillis() - start < Duration.ofDays(30).toMillis()) {
            long backoff = failNow(strategy, clock);
            if (restarts >= 10) {
                assertThat(backoff)
                        .as("backoff of restart %d", restarts)
                        .isBetween(MAX_BACKOFF - MAX_BACKOFF / 10, MAX_BACKOFF_WITH_JITTER);
            }
            longest = Math.max(longest, backoff);
            restarts++;
        }
        assertThat(longest).isBetween(MAX_BACKOFF - MAX_BACKOFF / 10, MAX_BACKOFF_WITH_JITTER);
        // 30 days at about one restart a minute, not every few seconds
        assertThat(restarts).isBetween(30 * 24 * 60 * 9 / 10, 30 * 24 * 60 * 12 / 10);
    }

    @Test
    void theBackoffStartsSmallAgainAfterTenMinutesOfStableRunning() {
        ManualClock clock = new ManualClock(Duration.ofDays(1).toNanos());
        ExponentialDelayRestartBackoffTimeStrategy strategy = onManualClock(clock);
        long first = failNow(strategy, clock);
        for (int i = 0; i < 20; i++) {
            failNow(strategy, clock);
        }
        assertThat(first).isLessThanOrEqualTo(1_100);
        clock.advanceTime(Duration.ofMinutes(11)); // running without a failure
        assertThat(failNow(strategy, clock)).isLessThanOrEqualTo(1_100);
    }
}
