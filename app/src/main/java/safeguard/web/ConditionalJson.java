package safeguard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import safeguard.Json;

/**
 * JSON answers the tab polls every few seconds (the Overview, the Actions list, an open timeline): each carries an
 * ETag of its content, and a request whose If-None-Match names it gets 304 with no body, so a page left open costs
 * a few hundred bytes a poll while nothing changes. Fields that change on every call without saying anything new
 * (the Overview's generatedAt) are left out of the tag, or it would never match.
 */
final class ConditionalJson {
    private ConditionalJson() {
    }

    static void send(Context ctx, Object body, String... volatileFields) {
        JsonNode tree = Json.mapper().valueToTree(body);
        JsonNode tagged = tree;
        if (volatileFields.length > 0 && tree instanceof ObjectNode object) {
            tagged = object.deepCopy().remove(Arrays.asList(volatileFields));
        }
        String etag = "\"" + digest(tagged.toString()) + "\"";
        ctx.header("ETag", etag);
        if (matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.json(tree);
    }

    /** RFC 9110 13.1.2: a list of tags or "*", compared weakly (a W/ prefix does not matter for a GET). */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.replaceFirst("^W/", "").equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String digest(String json) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
