package safeguard.web;

import io.javalin.http.Context;
import safeguard.InvalidInputException;
import safeguard.settings.Settings;
import safeguard.settings.SettingsService;

public final class SettingsController {
    private final SettingsService settings;

    public SettingsController(SettingsService settings) {
        this.settings = settings;
    }

    public void get(Context ctx) {
        ctx.json(settings.get());
    }

    public void update(Context ctx) {
        if (ctx.body().isBlank()) {
            throw new InvalidInputException("body", "a JSON object with coalesceWindowSeconds and/or dryRunAll is required");
        }
        ctx.json(settings.update(ctx.bodyAsClass(Settings.class)));
    }
}
