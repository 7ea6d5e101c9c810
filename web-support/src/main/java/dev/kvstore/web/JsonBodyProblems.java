package dev.kvstore.web;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Says what is wrong with a JSON request body in the caller's terms: which field, what it must be,
 * where the syntax broke. Jackson's own messages name Java types and its configuration switches,
 * which tell a caller nothing it can act on.
 */
public final class JsonBodyProblems {

    private JsonBodyProblems() {
    }

    /** 413 when the body went past the size limit while being read, else 400 with the field at fault. */
    public static ProblemDetail describe(Throwable unreadable) {
        BodyTooLargeException tooLarge = find(unreadable, BodyTooLargeException.class);
        if (tooLarge != null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
            problem.setTitle("Content Too Large");
            return problem;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail(unreadable));
        problem.setTitle("Unreadable request body");
        return problem;
    }

    static String detail(Throwable unreadable) {
        JacksonException json = find(unreadable, JacksonException.class);
        if (json == null) {
            return "the request body is missing or unreadable; this endpoint expects a JSON object "
                    + "(Content-Type: application/json)";
        }
        String field = path(json);
        String at = field.isEmpty() ? "the body" : "'" + field + "'";
        return switch (json) {
            case StreamReadException syntax -> "the body is not valid JSON: " + syntax.getOriginalMessage()
                    + location(syntax.getLocation());
            case InvalidFormatException format when format.getTargetType() != null
                    && format.getTargetType().isEnum() ->
                    at + " must be one of " + constants(format.getTargetType()) + ", not " + shown(format.getValue());
            case InvalidFormatException format when format.getTargetType() != null ->
                    at + " must be " + describe(format.getTargetType()) + ", not " + shown(format.getValue());
            case MismatchedInputException mismatch when mismatch.getTargetType() != null
                    && String.valueOf(mismatch.getOriginalMessage()).contains("`null`") ->
                    at + " is required: " + describe(mismatch.getTargetType());
            case MismatchedInputException mismatch when mismatch.getTargetType() != null ->
                    at + " must be " + describe(mismatch.getTargetType())
                            + (mismatch.getCurrentToken() == null ? "" : ", not " + token(mismatch));
            case ValueInstantiationException invalid -> "the body's values are not valid together: "
                    + (invalid.getCause() instanceof NullPointerException || invalid.getCause() == null
                    || invalid.getCause().getMessage() == null
                    ? "a list holds null or a required value is missing" : invalid.getCause().getMessage());
            default -> at + " cannot be read: " + json.getOriginalMessage();
        };
    }

    /** {@code ranges[0].fromExclusive}: where in the body the problem is. */
    static String path(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + constants(type);
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class
                || type == short.class || type == Short.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == byte[].class) {
            return "a base64 string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object (" + type.getSimpleName() + ")";
    }

    private static String constants(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String token(MismatchedInputException e) {
        return switch (e.getCurrentToken()) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "a whole number";
            case VALUE_NUMBER_FLOAT -> "a number with a fraction";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> e.getCurrentToken().name();
        };
    }

    private static String shown(Object value) {
        if (value instanceof String s) {
            return ContainerErrors.quote(s.length() > 64 ? s.substring(0, 64) + "..." : s);
        }
        return String.valueOf(value);
    }

    private static String location(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
