package io.caravan.convert;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.item.ItemRejectedException;
import io.caravan.job.ConfigException;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * A jq program, run by jackson-jq (the library Camel's jq language is built on), with jq 1.6's built-in functions.
 * It gets the record as {@code .} and gives the record to write, or {@code empty} / {@code null} to drop it.
 */
public final class JqConversion implements Conversion {

    private static final Version JQ = Versions.JQ_1_6;

    private final String name;
    private final JsonQuery query;
    private final Scope functions;

    /** @throws ConfigException when the program does not compile */
    public JqConversion(String name, String program) {
        this.name = name;
        try {
            this.query = JsonQuery.compile(program, JQ);
        } catch (JsonQueryException e) {
            throw new ConfigException(name + " is not a jq program: " + e.getMessage());
        }
        this.functions = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(JQ, functions);
    }

    @Override
    public JsonNode apply(JsonNode record, Exchange exchange) {
        List<JsonNode> results = new ArrayList<>(1);
        try {
            query.apply(Scope.newChildScope(functions), record, results::add);
        } catch (JsonQueryException | RuntimeException e) {
            throw new ItemRejectedException("convert", name + " failed: " + e.getMessage(), e);
        }
        if (results.size() > 1) {
            throw new ItemRejectedException("convert", name + " gave " + results.size() + " records for one");
        }
        JsonNode result = results.isEmpty() ? null : results.get(0);
        if (result == null || result.isNull()) {
            return null;
        }
        if (!result.isObject()) {
            throw new ItemRejectedException("convert", name + " gave " + result + ", not a record");
        }
        return result;
    }
}
