package safeguard.refsets;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import safeguard.InvalidInputException;
import safeguard.NotFoundException;
import safeguard.dsm.ReferenceSet;
import safeguard.qradar.QradarClient;
import safeguard.store.Store;

/**
 * The reference sets the detection rule reads (reference-sets/), viewed and edited: inside QRadar through its
 * API, outside in the store. Every value is checked against the set's element type before anything is written,
 * so a bad line in an import writes nothing.
 */
public final class ReferenceSetService {
    static final int MAX_VALUES = 100_000;
    /** The most elements one page answers: every read of a set is bounded, whatever its size. */
    public static final int MAX_LIMIT = 1_000;
    public static final int DEFAULT_LIMIT = 100;

    private final Map<String, ReferenceSet> known = new LinkedHashMap<>();
    private final SetBackend backend;

    ReferenceSetService(List<ReferenceSet> sets, SetBackend backend) {
        sets.forEach(s -> known.put(s.name(), s));
        this.backend = backend;
    }

    /** {@code qradar} is the app's authorised-service client (null before authorisation) when inside QRadar. */
    public static ReferenceSetService of(List<ReferenceSet> sets, boolean insideQradar, QradarClient qradar, Store store,
                                         Clock clock) {
        return new ReferenceSetService(sets, insideQradar ? new QradarSets(qradar) : new LocalSets(store, clock, sets));
    }

    /** The editable sets, without their elements (no upstream call). */
    public List<SetSummary> list() {
        return known.values().stream()
                .map(s -> new SetSummary(s.name(), s.description(), s.elementType(), backend.where()))
                .toList();
    }

    /**
     * One page of a set: {@code limit} elements (at most {@link #MAX_LIMIT}) from {@code offset}, in the backend's
     * order, and the offset of the next page (null after the last). Only that page is ever read.
     */
    public SetContents page(String name, long offset, int limit) {
        ReferenceSet s = set(name);
        if (offset < 0) {
            throw new InvalidInputException("cursor", "cursor must be a value a previous page gave as next");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "limit must be 1 to " + MAX_LIMIT);
        }
        SetBackend.Slice slice = backend.slice(name, s.elementType(), offset, limit);
        // A name stored in several record spellings is shown once (within the page), as typed.
        Map<String, Element> byName = new LinkedHashMap<>();
        for (Element e : slice.elements()) {
            byName.putIfAbsent(s.shown(e.value()), new Element(s.shown(e.value()), e.source(), e.firstSeen(), e.lastSeen()));
        }
        long end = offset + slice.elements().size();
        String next = !slice.elements().isEmpty() && end < slice.total() ? Long.toString(end) : null;
        return new SetContents(s.name(), s.description(), s.elementType(), backend.where(), slice.total(), offset,
                slice.elements().size(), new ArrayList<>(byName.values()), next);
    }

    /** Adds values typed or pasted in the page; errors name the value as {@code values[i]}. */
    public ImportResult add(String name, List<String> values, String source) {
        ReferenceSet s = set(name);
        if (values == null || values.isEmpty()) {
            throw new InvalidInputException("values", "values must list at least one value");
        }
        List<String> clean = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i) == null ? "" : values.get(i).strip();
            String problem = ElementRule.problem(s.elementType(), v);
            if (problem != null) {
                throw new InvalidInputException("values[" + i + "]", "\"" + shorten(v) + "\" " + problem);
            }
            clean.add(v);
        }
        return write(s, clean, source);
    }

    /** Adds the first column of a CSV file; errors name the line. */
    public ImportResult importCsv(String name, String csv, String source) {
        ReferenceSet s = set(name);
        List<CsvValues.Line> lines = CsvValues.parse(csv == null ? "" : csv, name);
        if (lines.isEmpty()) {
            throw new InvalidInputException("csv", "the file holds no values (one value a line, first column)");
        }
        for (CsvValues.Line l : lines) {
            String problem = ElementRule.problem(s.elementType(), l.value());
            if (problem != null) {
                throw new InvalidInputException("csv", "line " + l.number() + ": \"" + shorten(l.value()) + "\" " + problem
                        + "; nothing was imported");
            }
        }
        return write(s, lines.stream().map(CsvValues.Line::value).toList(), source);
    }

    public void remove(String name, String value) {
        ReferenceSet s = set(name);
        String problem = ElementRule.problem("ALN", value == null ? "" : value);
        if (problem != null) {
            throw new InvalidInputException("value", "\"" + shorten(value == null ? "" : value) + "\" " + problem);
        }
        boolean removed = false;
        for (String stored : s.stored(List.of(value))) {
            removed |= backend.remove(name, stored);
        }
        if (!removed) {
            throw new NotFoundException(name + " does not hold \"" + shorten(value) + "\"");
        }
    }

    /** Writes without reading the set: the backend says which values were new to it. */
    private ImportResult write(ReferenceSet s, List<String> values, String source) {
        if (values.size() > MAX_VALUES) {
            throw new InvalidInputException("values", "at most " + MAX_VALUES + " values at a time");
        }
        Set<String> seen = new HashSet<>();
        List<String> unique = new ArrayList<>();
        for (String v : values) {
            if (seen.add(canonical(s.elementType(), v))) {
                unique.add(v);
            }
        }
        SetBackend.Added r = backend.add(s.name(), s.elementType(), s.stored(unique), source);
        int added = Math.min(r.added(), unique.size());
        return new ImportResult(s.name(), added, unique.size() - added, r.total());
    }

    private ReferenceSet set(String name) {
        ReferenceSet s = known.get(name);
        if (s == null) {
            throw new NotFoundException("no reference set " + name + " here (editable: " + String.join(", ", known.keySet()) + ")");
        }
        return s;
    }

    /** "2001" and "2001.0" are the same number to QRadar; ALNIC ignores case. */
    static String canonical(String type, String v) {
        return switch (type) {
            case "NUM" -> {
                BigDecimal n = number(v);
                yield n == null ? v : n.stripTrailingZeros().toPlainString();
            }
            case "ALNIC" -> v.toLowerCase(java.util.Locale.ROOT);
            default -> v;
        };
    }

    static Comparator<Element> order(String type) {
        if ("NUM".equals(type)) {
            return Comparator.comparing((Element e) -> number(e.value()), Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(Element::value);
        }
        return Comparator.comparing(Element::value, String.CASE_INSENSITIVE_ORDER).thenComparing(Element::value);
    }

    private static BigDecimal number(String v) {
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String shorten(String v) {
        return v.length() <= 80 ? v : v.substring(0, 77) + "…";
    }
}
