package safeguard.offenses;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import safeguard.InvalidInputException;
import safeguard.NotFoundException;
import safeguard.settings.Settings;
import safeguard.targets.Target;
import safeguard.targets.TargetService;

/**
 * Checks offense triggers before they are saved (each names an enabled rule of QRadar and an existing target) and
 * says which saved ones no longer do (a rule disabled or a target deleted since).
 */
final class OffenseTriggers {
    static final int MAX = 100;
    static final Map<String, String> ACTION_OF_KIND = Map.of(Target.SCALE, "scale-snapshot", Target.CSM,
            "csm-backup", Target.CDM, "cdm-restore");

    private final Rules rules;
    private final TargetService targets;

    /** {@code rules} is null when the app cannot ask QRadar (outside QRadar, or not authorised yet). */
    OffenseTriggers(Rules rules, TargetService targets) {
        this.rules = rules;
        this.targets = targets;
    }

    /** A change of settings: a 400 names the first element that is wrong, e.g. {@code offenseTriggers[1].ruleId}. */
    void check(Settings change) {
        List<OffenseTrigger> list = change.offenseTriggers();
        if (list == null || list.isEmpty()) {
            return;
        }
        if (list.size() > MAX) {
            throw new InvalidInputException("offenseTriggers", "at most " + MAX + " offense triggers");
        }
        if (rules == null) {
            throw new InvalidInputException("offenseTriggers", "offense triggers need the app to run inside QRadar "
                    + "and to be authorised there (it reads the rules and offenses with that authorisation)");
        }
        Map<Long, QradarRule> known = null;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "offenseTriggers[" + i + "]";
            OffenseTrigger t = list.get(i);
            if (t == null) {
                throw new InvalidInputException(at, at + " must be {\"ruleId\": <QRadar rule id>, \"target\": \"<target name>\"}");
            }
            if (t.ruleId() == null || t.ruleId() < 0) {
                throw new InvalidInputException(at + ".ruleId", at + ".ruleId must be the id of a QRadar rule");
            }
            if (t.target() == null || t.target().isBlank()) {
                throw new InvalidInputException(at + ".target", at + ".target must name a target");
            }
            try {
                targets.target(t.target());
            } catch (NotFoundException e) {
                throw new InvalidInputException(at + ".target", at + ".target: no target named '" + t.target() + "'");
            }
            if (known == null) {
                known = rules.forPage();
            }
            QradarRule r = known.get(t.ruleId());
            if (r == null) {
                throw new InvalidInputException(at + ".ruleId", at + ".ruleId: QRadar has no rule " + t.ruleId());
            }
            if (!r.enabled()) {
                throw new InvalidInputException(at + ".ruleId", at + ".ruleId: rule '" + r.name() + "' (" + r.id()
                        + ") is disabled in QRadar: it makes no offenses");
            }
            if (!seen.add(t.ruleId() + "/" + t.target())) {
                throw new InvalidInputException(at, at + " repeats rule " + t.ruleId() + " for target " + t.target());
            }
        }
    }

    /**
     * What is wrong with the saved triggers now, one sentence each (empty: each names an enabled rule and an
     * existing target). For readiness checks; a console that cannot be asked is one problem, said once.
     */
    List<String> problems(List<OffenseTrigger> list) {
        List<String> out = new ArrayList<>();
        if (list == null || list.isEmpty()) {
            return out;
        }
        if (rules == null) {
            out.add("offense triggers are set but the app cannot read QRadar's offenses (not inside QRadar, or not authorised)");
            return out;
        }
        Map<Long, QradarRule> known;
        try {
            known = rules.all();
        } catch (RuntimeException e) {
            out.add("cannot read QRadar's rules: " + e.getMessage());
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            OffenseTrigger t = list.get(i);
            QradarRule r = known.get(t.ruleId());
            if (r == null) {
                out.add("offenseTriggers[" + i + "]: QRadar has no rule " + t.ruleId() + " any more");
            } else if (!r.enabled()) {
                out.add("offenseTriggers[" + i + "]: rule '" + r.name() + "' is disabled");
            }
            if (targets.all().stream().noneMatch(x -> x.name().equals(t.target()))) {
                out.add("offenseTriggers[" + i + "]: target " + t.target() + " no longer exists");
            }
        }
        return out;
    }
}
