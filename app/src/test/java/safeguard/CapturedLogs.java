package safeguard;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything every logger writes, at every level, while open: to prove a secret never reaches a log. */
public final class CapturedLogs implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final WriterAppender appender;
    private final Level previous;
    private final LoggerContext ctx = (LoggerContext) LogManager.getContext(false);

    public CapturedLogs() {
        Configuration cfg = ctx.getConfiguration();
        appender = WriterAppender.newBuilder().setName("captured").setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%-5level %c - %m %throwable%n").build()).build();
        appender.start();
        LoggerConfig root = cfg.getRootLogger();
        previous = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        root.setLevel(Level.ALL);
        cfg.getLoggers().values().forEach(l -> l.setLevel(Level.ALL));
        ctx.updateLoggers();
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
