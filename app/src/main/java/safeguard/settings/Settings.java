package safeguard.settings;

/**
 * App-wide choices an admin makes in the Settings page.
 *
 * @param coalesceWindowSeconds triggers for the same target and scope within this many seconds of an accepted
 *                              action join it; a Scale target's own minimum interval wins when it has one
 * @param dryRunAll             rehearsal for the whole app: every action is journaled and no storage system is
 *                              called, whatever the targets say
 * @param logSourceHosts        Storage Scale hosts (syslog identifiers) that forward audit records: inside QRadar
 *                              the app makes one log source of its type for each
 * @param actionServiceRoleId   QRadar user role of the authorized service the custom action calls the app with
 * @param actionServiceProfileId its security profile
 * @param actionServiceDays     its lifetime; it is replaced a week (or a tenth of its life) before it ends
 * @param attemptsPerHour       how many new attempts one target and scope may start in an hour after copies
 *                              failed there (a failing storage system must not turn a burst into a storm)
 * @param offenseTriggers       QRadar rules whose offenses protect a target (read by polling offenses: works where
 *                              custom actions cannot be used, e.g. QRadar on Cloud)
 * @param offensePollSeconds    how often offenses are read while there are offense triggers
 * @param auditFeedWindowMinutes a log source the app made for a Scale host that delivered no event for this long
 *                              makes readiness at-risk (the audit feed stopped, so no rule can fire)
 * @param recoverGapWarnDays    the Recover panel warns when the proposed copy is older than the first suspicious
 *                              event by more than this many days (a copy that old may miss much good data)
 * @param journalRetentionDays  journal segments older than this, and covered by the actions checkpoint, are archived
 *                              (compressed, still verifiable) at the next checkpoint
 */
public record Settings(Integer coalesceWindowSeconds, Boolean dryRunAll, java.util.List<String> logSourceHosts,
                       Long actionServiceRoleId, Long actionServiceProfileId, Integer actionServiceDays,
                       Integer attemptsPerHour,
                       java.util.List<safeguard.offenses.OffenseTrigger> offenseTriggers, Integer offensePollSeconds,
                       Integer auditFeedWindowMinutes, Integer recoverGapWarnDays, Integer journalRetentionDays) {
    public static final int DEFAULT_AUDIT_FEED_WINDOW_MINUTES = 30;
    public static final int DEFAULT_RECOVER_GAP_WARN_DAYS = 7;
    public static final int DEFAULT_JOURNAL_RETENTION_DAYS = 400;
    public static final Settings DEFAULTS = new Settings(300, false, java.util.List.of(), null, null, 365, 6,
            java.util.List.of(), 15, DEFAULT_AUDIT_FEED_WINDOW_MINUTES, DEFAULT_RECOVER_GAP_WARN_DAYS,
            DEFAULT_JOURNAL_RETENTION_DAYS);

    public Settings(Integer coalesceWindowSeconds, Boolean dryRunAll, java.util.List<String> logSourceHosts,
                    Long actionServiceRoleId, Long actionServiceProfileId, Integer actionServiceDays,
                    Integer attemptsPerHour, java.util.List<safeguard.offenses.OffenseTrigger> offenseTriggers,
                    Integer offensePollSeconds, Integer auditFeedWindowMinutes) {
        this(coalesceWindowSeconds, dryRunAll, logSourceHosts, actionServiceRoleId, actionServiceProfileId,
                actionServiceDays, attemptsPerHour, offenseTriggers, offensePollSeconds, auditFeedWindowMinutes, null,
                null);
    }

    public Settings(Integer coalesceWindowSeconds, Boolean dryRunAll, java.util.List<String> logSourceHosts,
                    Long actionServiceRoleId, Long actionServiceProfileId, Integer actionServiceDays) {
        this(coalesceWindowSeconds, dryRunAll, logSourceHosts, actionServiceRoleId, actionServiceProfileId,
                actionServiceDays, null, null, null, null, null, null);
    }

    public Settings(Integer coalesceWindowSeconds, Boolean dryRunAll, java.util.List<String> logSourceHosts,
                    Long actionServiceRoleId, Long actionServiceProfileId, Integer actionServiceDays,
                    Integer attemptsPerHour) {
        this(coalesceWindowSeconds, dryRunAll, logSourceHosts, actionServiceRoleId, actionServiceProfileId,
                actionServiceDays, attemptsPerHour, null, null, null, null, null);
    }
}
