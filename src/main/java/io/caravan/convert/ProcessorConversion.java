package io.caravan.convert;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.item.ItemRejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ExchangeHelper;

/**
 * A Java conversion: a Camel {@link Processor} that finds the record ({@link JsonNode}) as the body and leaves the
 * converted record there, or a null body to drop it.
 */
public final class ProcessorConversion implements Conversion {

    private final Processor processor;

    public ProcessorConversion(Processor processor) {
        this.processor = processor;
    }

    @Override
    public JsonNode apply(JsonNode record, Exchange exchange) {
        Exchange copy = ExchangeHelper.createCopy(exchange, true);
        copy.getMessage().setBody(record);
        try {
            processor.process(copy);
        } catch (Exception e) {
            throw new ItemRejectedException("convert", processor.getClass().getSimpleName() + " failed: " + e, e);
        }
        Object body = copy.getMessage().getBody();
        if (body == null) {
            return null;
        }
        if (!(body instanceof JsonNode converted) || !converted.isObject()) {
            throw new ItemRejectedException("convert", processor.getClass().getSimpleName() + " left " + body
                    + ", not a record");
        }
        return converted;
    }
}
