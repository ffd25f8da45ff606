package safeguard.offenses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.InvalidInputException;
import safeguard.MutableClock;
import safeguard.qradar.ConsoleExtension;
import safeguard.settings.Settings;
import safeguard.store.Store;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/** What readiness asks: do the saved offense triggers still name enabled rules and existing targets? */
class OffenseTriggersTest {
    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();
    @TempDir
    Path tmp;

    @Test
    void saved_triggers_whose_rule_was_disabled_or_target_deleted_since_are_named() {
        var rule = console.fake().offenses().rule(100123, "Safeguard: mass deletes", true);
        Store store = Store.open(tmp.resolve("store"));
        TargetService targets = new TargetService(store);
        targets.create(new TargetInput("scale", "scale1", "localhost", 9443, "u", "p", new Tls("verify", null, null), 2, 10,
                new ScaleSettings("gpfs01", null, List.of(), "sgc", 24, null, "UTC"), null, null, null, null));
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
        Settings saved = new Settings(300, false, List.of(), null, null, 365, 6,
                List.of(new OffenseTrigger(100123L, "scale1")), 15);
        Offenses offenses = new Offenses(console.service(), store, targets, clock);
        offenses.attach(() -> saved, r -> null, id -> null, (id, data) -> { });
        offenses.check(saved);
        assertEquals(List.of(), offenses.triggerProblems());

        synchronized (console.fake()) {
            rule.put("enabled", false);
        }
        clock.advance(Duration.ofMinutes(2)); // the rules are read again after a minute
        targets.delete("scale1");
        assertEquals(List.of("offenseTriggers[0]: rule 'Safeguard: mass deletes' is disabled",
                "offenseTriggers[0]: target scale1 no longer exists"), offenses.triggerProblems());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> offenses.check(saved));
        assertEquals("offenseTriggers[0].target", e.field());
        offenses.close();
    }
}
