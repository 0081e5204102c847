package io.caravan.convert;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.ExchangeHelper;

import java.util.List;

/**
 * A jq program, run by Camel's jq language (jackson-jq). It gets the record as {@code .} and gives the record to
 * write, or {@code empty} / {@code null} to drop it.
 */
public final class JqConversion implements Conversion {

    private final String name;
    private final String program;
    private volatile Expression expression;

    public JqConversion(String name, String program) {
        this.name = name;
        this.program = program;
    }

    @Override
    public JsonNode apply(JsonNode record, Exchange exchange) {
        Exchange copy = ExchangeHelper.createCopy(exchange, true);
        copy.getMessage().setBody(record);
        Expression jq = expression(exchange);
        Object result;
        try {
            result = jq.evaluate(copy, Object.class);
        } catch (RuntimeException e) {
            throw new ItemRejectedException("convert", name + " failed: " + rootMessage(e), e);
        }
        if (copy.getException() != null) {
            throw new ItemRejectedException("convert", name + " failed: " + rootMessage(copy.getException()),
                    copy.getException());
        }
        if (result instanceof List<?> many) {
            if (many.size() > 1) {
                throw new ItemRejectedException("convert", name + " gave " + many.size() + " records for one");
            }
            result = many.isEmpty() ? null : many.get(0);
        }
        if (result == null || result instanceof JsonNode n && n.isNull()) {
            return null;
        }
        if (!(result instanceof JsonNode converted) || !converted.isObject()) {
            throw new ItemRejectedException("convert", name + " gave " + result + ", not a record");
        }
        return converted;
    }

    private Expression expression(Exchange exchange) {
        if (expression == null) {
            synchronized (this) {
                if (expression == null) {
                    try {
                        Expression compiled = exchange.getContext().resolveLanguage("jq").createExpression(program);
                        compiled.init(exchange.getContext());
                        expression = compiled;
                    } catch (RuntimeException e) {
                        throw new JobFatalException(name + " is not a jq program: " + rootMessage(e), e);
                    }
                }
            }
        }
        return expression;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
