package safeguard.refsets;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import safeguard.NotFoundException;
import safeguard.http.UpstreamException;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.qradar.ReferenceData;

/**
 * Reference sets as QRadar holds them, through {@link ReferenceData}: the collections API the negotiated version
 * offers (legacy endpoints on consoles before 16.0). A page reads one {@code Range} slice; an add writes without
 * reading the set; a removal looks up the one entry.
 */
final class QradarSets implements SetBackend {
    private final QradarClient qradar;
    private volatile ReferenceData data;

    /** {@code qradar} is null until an admin authorised the app; every call then says so. */
    QradarSets(QradarClient qradar) {
        this.qradar = qradar;
    }

    @Override
    public String where() {
        return "qradar";
    }

    @Override
    public Slice slice(String name, String elementType, long offset, int limit) {
        return call(name, () -> {
            ReferenceData.SetInfo set = set(name);
            List<Element> out = new ArrayList<>();
            if (offset < set.count() && limit > 0) {
                for (ReferenceData.Entry e : data().entries(set, (int) offset, (int) offset + limit - 1)) {
                    out.add(new Element(value(e.value(), elementType), e.source(), time(e.firstSeen()), time(e.lastSeen())));
                }
            }
            return new Slice(out, set.count());
        });
    }

    @Override
    public Added add(String name, String elementType, List<String> values, String source) {
        return call(name, () -> {
            ReferenceData.SetInfo set = set(name);
            int added = data().add(set, values, source);
            return new Added(added, set(name).count());
        });
    }

    @Override
    public boolean remove(String name, String value) {
        return call(name, () -> data().remove(set(name), value));
    }

    private ReferenceData.SetInfo set(String name) {
        return data().find(name).orElseThrow(() -> new NotFoundException("QRadar has no reference set " + name
                + " (yet): see content provisioning in Settings"));
    }

    private ReferenceData data() {
        if (qradar == null) {
            throw new UpstreamException(0, "the app is not authorised with QRadar yet: an administrator completes "
                    + "the authorisation in Extensions Management, then reference sets can be read and edited", null);
        }
        ReferenceData d = data;
        if (d == null) {
            d = ReferenceData.of(qradar); // chosen once, by the negotiated API version
            data = d;
        }
        return d;
    }

    private static <T> T call(String name, Supplier<T> call) {
        try {
            return call.get();
        } catch (QradarException e) {
            if (e.isNotFound()) {
                throw new NotFoundException("QRadar has no reference set " + name + " (yet): see content provisioning in Settings");
            }
            throw new UpstreamException(e.status(), "QRadar refused the reference set change: " + e.getMessage(), null);
        }
    }

    /** NUM sets come back as numbers (2001 or 2001.0 depending on the version): show them as they were typed. */
    static String value(String v, String elementType) {
        if ("NUM".equals(elementType) && v.endsWith(".0") && v.substring(0, v.length() - 2).matches("-?\\d+")) {
            return v.substring(0, v.length() - 2);
        }
        return v;
    }

    private static String time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }
}
