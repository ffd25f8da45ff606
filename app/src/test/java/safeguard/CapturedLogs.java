package safeguard;

import java.io.InputStream;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Everything every logger writes, at every level, while open, through the shipped log pattern and its mask: to
 * prove a secret never reaches a log.
 */
public final class CapturedLogs implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final WriterAppender appender;
    private final Level previous;
    private final LoggerContext ctx = (LoggerContext) LogManager.getContext(false);

    public CapturedLogs() {
        Configuration cfg = ctx.getConfiguration();
        appender = WriterAppender.newBuilder().setName("captured").setTarget(out)
                .setLayout(PatternLayout.newBuilder().withConfiguration(cfg).withPattern(productionPattern())
                        .withAlwaysWriteExceptions(false).build()).build();
        appender.start();
        LoggerConfig root = cfg.getRootLogger();
        previous = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        root.setLevel(Level.ALL);
        cfg.getLoggers().values().forEach(l -> l.setLevel(Level.ALL));
        ctx.updateLoggers();
    }

    /**
     * The layout pattern of the shipped log4j2.xml (tests run with log4j2-test.xml), with its properties filled in:
     * what is captured is masked exactly as the app's logs are.
     */
    static String productionPattern() {
        try (InputStream in = CapturedLogs.class.getResourceAsStream("/log4j2.xml")) {
            Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            Map<String, String> props = new HashMap<>();
            NodeList list = xml.getElementsByTagName("Property");
            for (int i = 0; i < list.getLength(); i++) {
                Element p = (Element) list.item(i);
                props.put(p.getAttribute("name"), p.getTextContent());
            }
            String pattern = props.get("pattern");
            for (Map.Entry<String, String> e : props.entrySet()) {
                pattern = pattern.replace("${" + e.getKey() + "}", e.getValue());
            }
            return pattern;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the shipped log4j2.xml", e);
        }
    }

    public String text() {
        return out.toString();
    }

    @Override
    public void close() {
        Configuration cfg = ctx.getConfiguration();
        cfg.getRootLogger().removeAppender("captured");
        cfg.getRootLogger().setLevel(previous);
        cfg.getLoggers().values().forEach(l -> l.setLevel(Level.WARN));
        ctx.updateLoggers();
        appender.stop();
    }
}
