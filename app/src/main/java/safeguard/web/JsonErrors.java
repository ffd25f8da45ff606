package safeguard.web;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import java.util.Map;

/** Turns Jackson's refusal of a request body into the field to name and a sentence saying what it must be. */
final class JsonErrors {
    private JsonErrors() {
    }

    record Problem(String field, String message) {
    }

    static Problem of(Exception e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            String field = path(u.getPath());
            return new Problem(field, field + " is not a field of this object (a typo?)");
        }
        if (e instanceof MismatchedInputException m && m.getMessage() != null && m.getMessage().startsWith("Trailing token")) {
            return new Problem("body", "the body must be one JSON value with nothing after it");
        }
        if (e instanceof JsonMappingException d && !d.getPath().isEmpty()) {
            String field = path(d.getPath());
            return new Problem(field, field + " must be " + expected(d));
        }
        if (e instanceof InputCoercionException c && c.getProcessor() != null) {
            String field = path(c.getProcessor().getParsingContext());
            if (!field.isEmpty()) {
                return new Problem(field, field + " is out of range");
            }
        }
        if (e instanceof MismatchedInputException m) {
            return new Problem("body", "the body must be " + expected(m));
        }
        return new Problem("body", "request body is not valid JSON");
    }

    /** scale.filesets[2], as the validator names fields. */
    private static String path(java.util.List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String path(JsonStreamContext ctx) {
        StringBuilder b = new StringBuilder();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            String part = c.inArray() ? "[" + Math.max(c.getCurrentIndex(), 0) + "]"
                    : c.getCurrentName() == null ? "" : c.getCurrentName();
            boolean dot = b.length() > 0 && b.charAt(0) != '[';
            b.insert(0, part + (dot ? "." : ""));
        }
        return b.toString();
    }

    private static String expected(JsonMappingException e) {
        Class<?> t = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (t == null) {
            return "of another type";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "a whole number";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "an object";
        }
        return "of another type";
    }
}
