package io.caravan.job;

import io.caravan.pipeline.HandOff;
import io.caravan.report.Bytes;
import io.caravan.transfer.BandwidthLimiter;
import io.caravan.transfer.RateLimiter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code caravan.rate-limit} and {@code caravan.bandwidth-limit} hold per instance: each process builds its own
 * limiters, shared by its worker threads and by no other process, so N {@code caravan work} instances at rate-limit R
 * start up to N×R items per second.
 *
 * @param itemsPerSecond {@code caravan.rate-limit}, 0 for none
 * @param bytesPerSecond {@code caravan.bandwidth-limit}, 0 for none
 * @param instance       this instance's name ({@link HandOff#instance})
 */
public record InstanceLimits(long itemsPerSecond, long bytesPerSecond, String instance) {

    public static final String RATE_LIMIT = "caravan.rate-limit";
    public static final String BANDWIDTH_LIMIT = "caravan.bandwidth-limit";

    public static InstanceLimits of(JobSettings settings) {
        return new InstanceLimits(settings.integer(RATE_LIMIT, 0), settings.bytes(BANDWIDTH_LIMIT, 0),
                HandOff.instance(settings));
    }

    public RateLimiter rateLimiter() {
        return RateLimiter.perSecond(itemsPerSecond);
    }

    public BandwidthLimiter bandwidthLimiter() {
        return BandwidthLimiter.of(bytesPerSecond);
    }

    /**
     * What the limits cover, for a worker to say once at start: "rate-limit 50 items/s applies to this instance
     * (worker-2) only; …". Empty when neither limit is set.
     */
    public Optional<String> describe() {
        List<String> limits = new ArrayList<>();
        if (itemsPerSecond > 0) {
            limits.add("rate-limit " + itemsPerSecond + " items/s");
        }
        if (bytesPerSecond > 0) {
            limits.add("bandwidth-limit " + Bytes.human(bytesPerSecond) + "/s");
        }
        if (limits.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(" and ", limits) + (limits.size() == 1 ? " applies" : " apply")
                + " to this instance (" + instance + ") only; every other instance has its own, so N workers move"
                + " up to N times as much");
    }
}
