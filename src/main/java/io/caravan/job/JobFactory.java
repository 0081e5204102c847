package io.caravan.job;

import io.caravan.convert.Conversion;
import io.caravan.convert.JqConversion;
import io.caravan.convert.ProcessorConversion;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerScope;
import io.caravan.plan.ItemFilter;
import io.caravan.plan.KeyMapper;
import io.caravan.source.ItemSource;
import io.caravan.target.ItemTarget;
import io.caravan.target.KeepVerifiedTarget;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Builds a job from its settings: its source and target by their registered {@link EdgeType}, its ledger scope, and
 * its limits. Every engine setting and its default is read here; each edge type reads its own.
 */
public final class JobFactory {

    private static final Logger LOG = LoggerFactory.getLogger(JobFactory.class);

    private JobFactory() {
    }

    public static Job create(Path home, JobSettings s, Ledger ledger) {
        int workers = s.integer("caravan.workers", 16);
        if (workers < 1) {
            throw new ConfigException("caravan.workers must be at least 1");
        }
        EdgeContext context = new EdgeContext(home, s, ledger, workers);
        String sourceType = s.required("source.type");
        ItemSource source = EdgeTypes.named("source", sourceType).source(sourceType, context);
        String targetType = s.required("target.type");
        ItemTarget built;
        try {
            built = EdgeTypes.named("target", targetType).target(targetType, context.withSource(source));
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        ItemTarget target = s.flag("target.keep-verified", false) ? new KeepVerifiedTarget(built) : built;
        String prefix = s.string("target.prefix", "");
        LedgerScope scope = new LedgerScope(s.job(), source.identity(),
                prefix.isEmpty() ? target.identity() : target.identity() + " prefix " + prefix);
        context.scopeIs(scope);
        int adopted = ledger.open(scope);
        if (adopted > 0) {
            LOG.info("job {}: {} ledger rows from before scopes now belong to {}", s.job(), adopted, scope);
        }
        return new Job(s, source, target, ledger, scope,
                new ItemFilter(s.string("filter.include", ""), s.string("filter.exclude", ""),
                        s.duration("filter.min-age", null), s.duration("filter.max-age", null), Clock.systemUTC()),
                new KeyMapper(s.string("mapping.rename-from", ""), s.string("mapping.rename-to", ""), prefix),
                InstanceLimits.of(s).bandwidthLimiter(), conversion(home, s, built),
                workers, s.integer("caravan.queue-size", 1000));
    }

    /**
     * {@code convert.jq} (a jq program's file) or {@code convert.processor} (a Camel Processor's class): how a record
     * becomes what the target takes. Records only: files and rows are copied as they are.
     */
    private static Conversion conversion(Path home, JobSettings s, ItemTarget target) {
        String jq = s.string("convert.jq", "");
        String processor = s.string("convert.processor", "");
        if (jq.isEmpty() && processor.isEmpty()) {
            return Conversion.NONE;
        }
        if (!target.takesRecords()) {
            throw new ConfigException("convert.* converts records: target.type '" + s.required("target.type")
                    + "' takes files or rows");
        }
        if (!jq.isEmpty()) {
            Path program = home.resolve(jq);
            try {
                return new JqConversion(program.getFileName().toString(), Files.readString(program));
            } catch (IOException e) {
                throw new ConfigException("convert.jq: cannot read " + program + ": " + e.getMessage());
            }
        }
        try {
            return new ProcessorConversion((Processor) Class.forName(processor).getConstructor().newInstance());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new ConfigException("convert.processor: cannot make a Camel Processor of " + processor + ": " + e);
        }
    }
}
