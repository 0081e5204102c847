package io.caravan.ckan;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static io.caravan.ckan.CkanEmulator.JSON;

/**
 * package_search over stored datasets, as Solr answers CKAN: q (text, or field:value), fq terms ({@code name:x},
 * {@code +dataset_type:harvest}, {@code -organization:x}, {@code metadata_modified:[2024-01-01T00:00:00Z TO *]}),
 * sort, rows/start with the total count, fl (raw index fields) and facet.field.
 */
final class CkanEmulatorSearch {

    private static final Pattern TERM = Pattern.compile("([+-]?)([A-Za-z_.]+):(\\[[^\\]]*\\]|\"[^\"]*\"|\\S+)");
    private static final String DEFAULT_SORT = "score desc, metadata_modified desc";

    /** What a stored dataset is indexed as: field → its values (organization by name, tags, res_format...). */
    interface Index {
        List<String> values(ObjectNode dataset, String field);

        String facetDisplayName(String field, String value);
    }

    private final Index index;

    CkanEmulatorSearch(Index index) {
        this.index = index;
    }

    static boolean asksForHarvest(String fq) {
        return fq != null && fq.matches("(?s).*\\+?(dataset_type|type):\"?harvest\\b.*");
    }

    /** The search result; {@code show} dictizes one dataset of the page for the caller. */
    ObjectNode search(Stream<ObjectNode> visible, CkanEmulatorCall call, Function<ObjectNode, ObjectNode> show) {
        Predicate<ObjectNode> matches = matcher(call.param("q", "")).and(filter(call.param("fq", "")));
        String sort = call.param("sort", DEFAULT_SORT);
        List<ObjectNode> hits = visible.filter(matches).sorted(order(sort)).toList();
        int start = call.number("start", 0);
        int rows = Math.min(call.number("rows", 10), 1000);
        List<String> fl = fields(call.param("fl"));
        ArrayNode results = JSON.createArrayNode();
        hits.stream().skip(start).limit(rows).forEach(d -> results.add(fl.isEmpty() ? show.apply(d) : raw(d, fl)));
        ObjectNode result = JSON.createObjectNode().put("count", hits.size());
        ObjectNode facets = result.putObject("facets");
        result.set("results", results);
        result.put("sort", sort);
        ObjectNode searchFacets = result.putObject("search_facets");
        int limit = call.number("facet.limit", 50);
        for (String field : facetFields(call.param("facet.field"))) {
            facet(hits, field, limit, facets, searchFacets);
        }
        return result;
    }

    private Predicate<ObjectNode> matcher(String q) {
        String text = q.trim();
        if (text.isEmpty() || text.equals("*:*") || text.equals("*")) {
            return d -> true;
        }
        if (TERM.matcher(text).find()) {
            return filter(text);
        }
        List<String> words = List.of(text.toLowerCase().split("\\s+"));
        return d -> {
            String haystack = String.join(" ", textOf(d)).toLowerCase();
            return words.stream().allMatch(haystack::contains);
        };
    }

    private List<String> textOf(ObjectNode d) {
        List<String> text = new ArrayList<>();
        for (String key : List.of("name", "title", "notes", "author", "maintainer", "version", "url")) {
            text.add(d.path(key).asText(""));
        }
        text.addAll(index.values(d, "tags"));
        d.path("extras").forEach(e -> text.add(e.path("value").asText("")));
        d.path("resources").forEach(r -> text.add(r.path("name").asText("") + " " + r.path("description").asText("")));
        return text;
    }

    /** Every fq term must hold ('+' or none), a '-' term must not. */
    private Predicate<ObjectNode> filter(String fq) {
        Predicate<ObjectNode> all = d -> true;
        Matcher m = TERM.matcher(fq);
        while (m.find()) {
            Predicate<ObjectNode> term = term(m.group(2), unquote(m.group(3)));
            all = all.and(m.group(1).equals("-") ? term.negate() : term);
        }
        return all;
    }

    private Predicate<ObjectNode> term(String field, String value) {
        if (value.startsWith("[") && value.endsWith("]")) {
            String[] bounds = value.substring(1, value.length() - 1).trim().split("\\s+TO\\s+");
            return d -> index.values(d, field).stream().anyMatch(v -> within(v, bounds[0], bounds[1]));
        }
        if (value.equals("*")) {
            return d -> !index.values(d, field).isEmpty();
        }
        return d -> index.values(d, field).contains(value);
    }

    /** Inclusive; timestamps compared as instants (CKAN stores them without a zone, in UTC). */
    private static boolean within(String value, String from, String to) {
        if (value.isEmpty()) {
            return false;
        }
        try {
            LocalDateTime v = instant(value);
            return (from.equals("*") || !v.isBefore(instant(from))) && (to.equals("*") || !v.isAfter(instant(to)));
        } catch (DateTimeParseException e) {
            return (from.equals("*") || value.compareTo(from) >= 0) && (to.equals("*") || value.compareTo(to) <= 0);
        }
    }

    static LocalDateTime instant(String text) {
        if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
            return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        return LocalDateTime.parse(text);
    }

    private Comparator<ObjectNode> order(String sort) {
        Comparator<ObjectNode> order = (a, b) -> 0;
        for (String clause : sort.split(",")) {
            String[] parts = clause.trim().split("\\s+");
            if (parts[0].isEmpty() || parts[0].equals("score")) {
                continue;
            }
            Comparator<ObjectNode> by = parts[0].startsWith("metadata_")
                    ? Comparator.comparing(d -> time(d.path(parts[0]).asText("")))
                    : Comparator.comparing(d -> d.path(parts[0].replace("_string", "")).asText(""));
            order = order.thenComparing(parts.length > 1 && parts[1].equalsIgnoreCase("desc") ? by.reversed() : by);
        }
        return order;
    }

    private static LocalDateTime time(String text) {
        try {
            return text.isEmpty() ? LocalDateTime.MIN : instant(text);
        } catch (DateTimeParseException e) {
            return LocalDateTime.MIN;
        }
    }

    /** fl: the raw index document; "capacity" is how the index records private. */
    private ObjectNode raw(ObjectNode d, List<String> fl) {
        ObjectNode doc = JSON.createObjectNode();
        for (String field : fl) {
            if (field.equals("capacity")) {
                doc.put("capacity", d.path("private").asBoolean() ? "private" : "public");
            } else if (d.has(field)) {
                doc.set(field, d.get(field));
            }
        }
        return doc;
    }

    private void facet(List<ObjectNode> hits, String field, int limit, ObjectNode facets, ObjectNode searchFacets) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ObjectNode d : hits) {
            index.values(d, field).stream().distinct().forEach(v -> counts.merge(v, 1, Integer::sum));
        }
        List<Map.Entry<String, Integer>> top = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit < 0 ? Long.MAX_VALUE : limit).toList();
        ObjectNode f = facets.putObject(field);
        top.forEach(e -> f.put(e.getKey(), e.getValue()));
        ObjectNode sf = searchFacets.putObject(field).put("title", field);
        ArrayNode items = sf.putArray("items");
        // CKAN lists search_facets items by count, then by name descending (recorded at step 38)
        top.stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.<String, Integer>comparingByKey().reversed()))
                .forEach(e -> items.addObject().put("name", e.getKey())
                        .put("display_name", index.facetDisplayName(field, e.getKey())).put("count", e.getValue()));
    }

    private static List<String> facetFields(String param) {
        if (param == null || param.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(param, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            return List.of(param);
        }
    }

    private static List<String> fields(String fl) {
        return fl == null || fl.isBlank() ? List.of()
                : Stream.of(fl.split("[,\\s]+")).filter(f -> !f.isEmpty()).toList();
    }

    private static String unquote(String value) {
        return value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
