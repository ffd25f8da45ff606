package safeguard.web;

import io.javalin.http.Context;
import safeguard.settings.Settings;
import safeguard.settings.SettingsService;

public final class SettingsController {
    private final SettingsService settings;
    private final Runnable changed;

    /** {@code changed} runs after a saved change (the log source hosts drive QRadar content). */
    public SettingsController(SettingsService settings, Runnable changed) {
        this.settings = settings;
        this.changed = changed;
    }

    public void get(Context ctx) {
        ctx.json(settings.get());
    }

    public void update(Context ctx) {
        Settings saved = settings.update(Bodies.readStrict(ctx, Settings.class,
                "a JSON object with coalesceWindowSeconds and/or dryRunAll"));
        changed.run();
        ctx.json(saved);
    }
}
