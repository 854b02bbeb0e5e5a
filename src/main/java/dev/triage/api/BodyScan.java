package dev.triage.api;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.ObjIntConsumer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.triage.config.TriageConfig;
import dev.triage.service.TriageException;

/**
 * Item counts checked while the body streams through a parser, before any tree is built: a request over a limit
 * is refused at the first item past it, and a body of millions of tiny values never becomes millions of nodes.
 * Malformed JSON is left to the binder, which names the problem.
 */
final class BodyScan {

    private static final String LABELS_ALIAS = "candidate_labels";

    /** An open array or object: its path as a request field ("labels[2].examples") and items seen so far. */
    private static final class Container {
        final String path;
        final boolean array;
        int items;
        String member;

        Container(String path, boolean array) {
            this.path = path;
            this.array = array;
        }

        String child() {
            if (array) {
                return path + "[" + (items - 1) + "]";
            }
            return path.isEmpty() ? member : path + "." + member;
        }
    }

    private BodyScan() {
    }

    /**
     * A classify request: its texts, labels (or candidate_labels) and each label's examples.
     *
     * @param root where the request object sits: "" for a body, "data" for a structured CloudEvent's envelope
     */
    static void check(byte[] body, String root, TriageConfig.Limits limits) {
        long budget = limits.maxTexts() + (long) limits.maxLabels() * (limits.maxExamples() + 4) + 64;
        scan(body, budget, (path, items) -> countItem(relative(path, root), items, limits));
    }

    /**
     * Refuses the body past {@code budget} JSON values, and wherever {@code itemLimit} throws: it is told each
     * array's path and its item count so far, at every item. A null or malformed body is left to the binder.
     */
    static void scan(byte[] body, long budget, ObjIntConsumer<String> itemLimit) {
        if (body == null) {
            return;
        }
        long values = 0;
        Deque<Container> open = new ArrayDeque<>();
        try (JsonParser parser = StrictJson.MAPPER.getFactory().createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME) {
                    open.peek().member = parser.currentName();
                    continue;
                }
                if (token == JsonToken.END_ARRAY || token == JsonToken.END_OBJECT) {
                    open.pop();
                    continue;
                }
                Container parent = open.peek();
                String path = "";
                if (parent != null) {
                    parent.items++;
                    path = parent.child();
                    if (parent.array) {
                        itemLimit.accept(parent.path, parent.items);
                    }
                }
                if (++values > budget) {
                    throw TriageException.badInput(null, "request holds more than " + budget
                            + " JSON values; no request within the limits has that many");
                }
                if (token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) {
                    open.push(new Container(parent == null ? "" : path, token == JsonToken.START_ARRAY));
                }
            }
        } catch (IOException malformed) {
            // the binder reads it again and says what is wrong
        }
    }

    /** The field path inside the request object, or null outside it. */
    private static String relative(String path, String root) {
        String field = root.isEmpty() ? path : path.startsWith(root + ".") ? path.substring(root.length() + 1) : null;
        return field != null && field.startsWith(LABELS_ALIAS) ? "labels" + field.substring(LABELS_ALIAS.length())
                : field;
    }

    private static void countItem(String field, int items, TriageConfig.Limits limits) {
        if (field == null) {
            return;
        }
        int max = field.equals("texts") ? limits.maxTexts()
                : field.equals("labels") ? limits.maxLabels()
                : field.matches("labels\\[\\d+]\\.examples") ? limits.maxExamples() : Integer.MAX_VALUE;
        if (items > max) {
            throw TriageException.badInput(field, "'" + field + "' has more than " + max + " items; the limit is "
                    + max + " per request (split the batch)");
        }
    }
}
