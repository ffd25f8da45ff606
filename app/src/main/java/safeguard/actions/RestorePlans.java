package safeguard.actions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import safeguard.scale.ScaleCopies;

/**
 * A restore's plan as the journal keeps it (a flat map of strings, like every action's plan) and back: fixed
 * when the admin confirms, so a resumed restore copies exactly the same paths to exactly the same places.
 */
public final class RestorePlans {
    private RestorePlans() {
    }

    public static Map<String, String> of(ScaleCopies.Plan p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fileSystem", p.fileSystem());
        if (p.fileset() != null) {
            m.put("fileset", p.fileset());
        }
        m.put("snapshot", p.snapshot());
        m.put("mountPoint", p.layout().mountPoint());
        m.put("root", p.layout().root());
        m.put("overwrite", Boolean.toString(p.overwrite()));
        int i = 0;
        for (ScaleCopies.Copy c : p.copies()) {
            i++;
            m.put("copy." + i + ".source", c.source());
            m.put("copy." + i + ".target", c.target());
        }
        return m;
    }

    static ScaleCopies.Plan scale(Map<String, String> m) {
        List<ScaleCopies.Copy> copies = new ArrayList<>();
        for (int i = 1; m.containsKey("copy." + i + ".source"); i++) {
            copies.add(new ScaleCopies.Copy(m.get("copy." + i + ".source"), m.get("copy." + i + ".target")));
        }
        return new ScaleCopies.Plan(m.get("fileSystem"), m.get("fileset"), m.get("snapshot"),
                new ScaleCopies.Layout(m.get("mountPoint"), m.get("root")), copies, Boolean.parseBoolean(m.get("overwrite")));
    }
}
