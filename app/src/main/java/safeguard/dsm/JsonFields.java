package safeguard.dsm;

import java.util.HashMap;
import java.util.Map;

/**
 * The key paths the properties want, as a tree the record scan walks along with the JSON it reads: a value is
 * kept only when the keys above it are exactly a wanted path, so one pass serves every JSON property.
 */
final class JsonFields {
    private final Node root = new Node();
    private int slots;

    /** The slot the path's value lands in; properties sharing a path share a slot. */
    int add(JsonKeyPath path) {
        Node n = root;
        for (String key : path.keys()) {
            n = n.children.computeIfAbsent(key, k -> new Node());
        }
        if (n.slot < 0) {
            n.slot = slots++;
        }
        return n.slot;
    }

    Node root() {
        return root;
    }

    int slots() {
        return slots;
    }

    static final class Node {
        private final Map<String, Node> children = new HashMap<>();
        private int slot = -1;

        Node child(String key) {
            return children.isEmpty() ? null : children.get(key);
        }

        /** Where this node's value goes, or -1 when only keys below it are wanted. */
        int slot() {
            return slot;
        }
    }
}
