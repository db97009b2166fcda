package org.impressionsclicks.generate;

import javax.annotation.Nullable;

/**
 * The two values of a generated event that the job reads; every other column gets a plausible
 * filler value.
 *
 * @param userAgent {@code device_settings.user_agent}, or null to leave the optional column empty
 * @param creationTimeMs {@code transaction_header.creation_time}, epoch milliseconds
 */
public record GeneratedEvent(@Nullable String userAgent, long creationTimeMs) {}
