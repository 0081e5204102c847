package io.caravan.s3;

import io.caravan.job.EdgeContext;
import io.caravan.job.EdgeType;
import io.caravan.job.JobSettings;
import io.caravan.job.Timeouts;
import io.caravan.source.ItemSource;
import io.caravan.source.S3Source;
import io.caravan.target.ItemTarget;
import io.caravan.target.S3Target;
import io.caravan.transfer.BufferBudget;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code s3}: {@code <side>.bucket}, {@code source.prefix} (keys are taken relative to it), and the service
 * ({@code <side>.s3.endpoint}, {@code .region}, {@code .access-key}, {@code .secret-key}, {@code .path-style},
 * {@code .sign-payload}). A target's prefix is the job's {@code target.prefix}, which the key mapper puts before
 * every key, so the target writes keys as given.
 */
public final class S3EdgeType implements EdgeType {

    @Override
    public List<String> names() {
        return List.of("s3");
    }

    @Override
    public ItemSource source(String type, EdgeContext context) {
        JobSettings s = context.settings();
        S3Settings service = settings(s, "source", context.workers());
        return new S3Source(S3Clients.create(service), service.endpoint(), s.required("source.bucket"),
                s.string("source.prefix", "")).checkEtags(s.flag("source.s3.check-etag", true));
    }

    @Override
    public ItemTarget target(String type, EdgeContext context) {
        S3Settings service = settings(context.settings(), "target", context.workers());
        return target(() -> S3Clients.create(service), service.endpoint(), context.settings().required("target.bucket"),
                context.settings(), context.budget());
    }

    /** An S3 target with the job's multipart settings; Seafile's stores use it. */
    public static S3Target target(Supplier<S3Client> connect, String endpoint, String bucket, JobSettings s,
                                  BufferBudget budget) {
        return new S3Target(connect, endpoint, bucket, s.bytes("caravan.multipart-threshold", 16L << 20),
                (int) Math.max(5L << 20, s.bytes("caravan.part-size", 8L << 20)),
                s.integer("caravan.part-concurrency", 4), budget);
    }

    /** The service of one side ({@code source} or {@code target}): {@code <side>.s3.*}. */
    public static S3Settings settings(JobSettings s, String side, int workers) {
        String p = side + ".s3.";
        String endpoint = s.string(p + "endpoint", "");
        return new S3Settings(endpoint, s.string(p + "region", "us-east-1"), s.string(p + "access-key", null),
                s.string(p + "secret-key", null), s.flag(p + "path-style", !endpoint.isEmpty()), workers * 2,
                s.flag(p + "sign-payload", false), Timeouts.of(s));
    }
}
