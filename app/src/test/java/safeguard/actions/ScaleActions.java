package safeguard.actions;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import safeguard.TestCerts;
import safeguard.journal.Journal;
import safeguard.scale.ScaleSimulator;
import safeguard.settings.Settings;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetService;

/** The {@link Engine} with Scale target "scale1" (pinned) on {@code scale}, and firings by path. */
final class ScaleActions implements AutoCloseable {
    final Engine engine;
    final AtomicReference<Settings> settings;
    final Journal journal;
    final ActionService actions;
    final TargetService targets;

    ScaleActions(Path dir, ScaleSimulator scale, TestCerts cert, ScaleSettings s, Clock clock) {
        engine = new Engine(dir, clock, Engine.scale("scale1", scale.port(), Engine.pinned(cert), s));
        settings = engine.settings;
        journal = engine.journal;
        actions = engine.actions;
        targets = engine.targets;
    }

    static ScaleSettings filesets(String def, List<String> allowed, Boolean globalOutside) {
        return new ScaleSettings("gpfs01", def, allowed, "sgc", 24, 600, "UTC", globalOutside);
    }

    ActionAnswer fire(String path) {
        return actions.submit(new ActionRequest("scale-snapshot", "scale1",
                new ActionContext("Safeguard rule", "2001", path, null, null, null), null, null, null, null));
    }

    ActionDetail awaitEnd(String id) throws Exception {
        return engine.awaitEnd(id);
    }

    @Override
    public void close() {
        engine.close();
    }
}
