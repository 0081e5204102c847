package io.caravan.camel;

import io.caravan.job.ConfigException;
import org.apache.camel.CamelContext;
import org.apache.camel.Expression;
import org.apache.camel.impl.DefaultCamelContext;

/** A setting that holds a Simple expression ({@code source.key = ${body[id]}}), parsed once. */
final class SimpleExpressions {

    private SimpleExpressions() {
    }

    /** The expression, or null when the setting is empty; fails naming the setting when it does not parse. */
    static Expression parse(String text, String setting) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        CamelContext parser = new DefaultCamelContext();
        try {
            return parser.resolveLanguage("simple").createExpression(text);
        } catch (RuntimeException e) {
            throw new ConfigException(setting + " '" + text + "' is not a Simple expression: " + e.getMessage());
        } finally {
            parser.stop();
        }
    }

    /** The expression of a setting checked already, ready to evaluate exchanges of {@code camel}; null when empty. */
    static Expression parse(String text, CamelContext camel) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Expression expression = camel.resolveLanguage("simple").createExpression(text);
        expression.init(camel);
        return expression;
    }
}
