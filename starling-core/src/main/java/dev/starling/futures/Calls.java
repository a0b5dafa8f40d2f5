package dev.starling.futures;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starling.PayloadException;
import dev.starling.internal.Json;

/**
 * The JSON shape of a function call, a task's inputs {@code {"function":NAME,"input":VALUE}}, and of its result, the
 * outputs {@code {"output":VALUE}}. Written in this exact form, and read back by slicing the text when it has it (a
 * function name needs no escaping), which costs a fraction of parsing a tree; any other spelling of the same JSON,
 * e.g. from another language, is read with the parser. Stateless.
 */
final class Calls {
    private static final String CALL = "{\"function\":\"";
    private static final String INPUT = "\",\"input\":";
    private static final String OUTPUT = "{\"output\":";

    private Calls() {
    }

    /** A task's inputs, with the function's name and its input as JSON text. */
    record Call(String function, String input) {
    }

    static String call(String function, Object input, String what) {
        return CALL + function + INPUT + Json.value(input, what) + "}";
    }

    static Call parse(String xs, String what) {
        int nameEnd = xs.startsWith(CALL) ? xs.indexOf('"', CALL.length()) : -1;
        if (nameEnd > 0 && xs.startsWith(INPUT, nameEnd) && xs.endsWith("}")) {
            return new Call(xs.substring(CALL.length(), nameEnd), xs.substring(nameEnd + INPUT.length(),
                    xs.length() - 1));
        }
        JsonNode tree = Json.tree(xs, what);
        if (!tree.isObject() || !tree.path(Functions.FUNCTION).isTextual()) {
            throw new PayloadException(what + " are not a function call {\"function\": NAME, \"input\": VALUE}",
                    null);
        }
        return new Call(tree.get(Functions.FUNCTION).asText(), String.valueOf(tree.get(Functions.INPUT)));
    }

    static String output(Object value, String what) {
        return OUTPUT + Json.value(value, what) + "}";
    }

    /** The output's JSON text in a task's outputs; {@code null} (the text) when there is none. */
    static String outputOf(String ys, String what) {
        if (ys.startsWith(OUTPUT) && ys.endsWith("}")) {
            return ys.substring(OUTPUT.length(), ys.length() - 1);
        }
        return String.valueOf(Json.tree(ys, what).get(Functions.OUTPUT));
    }
}
