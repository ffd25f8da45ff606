package safeguard.qradar;

/**
 * The one place that says from which API version on the app may use what: the version is negotiated once
 * ({@code /help/versions}), and every choice between an old and a new way of doing something asks this, never the
 * console by trial and error.
 */
public enum ApiFeature {
    /**
     * {@code /reference_data_collections/sets} and {@code /set_entries}: since API 16.0 (QRadar 7.4.3). The 26.0
     * pages mark their predecessor, {@code /reference_data/sets*}, DEPRECATED (QRadar 7.5.0 UP12).
     */
    REFERENCE_DATA_COLLECTIONS("16.0"),
    /**
     * Everything else the app calls (content provisioning, custom actions, access, notes), checked against the
     * 20.0-26.0 pages; the app's image (qradar-app-base 4) needs QRadar 7.5.0 UP7 or later anyway.
     */
    CONTENT("20.0");

    private final String since;

    ApiFeature(String since) {
        this.since = since;
    }

    public String since() {
        return since;
    }

    /** Whether API {@code version} ("26.0", "26") has this feature. */
    public boolean in(String version) {
        return compare(version, since) >= 0;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }
}
