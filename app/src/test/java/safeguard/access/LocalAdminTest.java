package safeguard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.UnauthorizedException;
import safeguard.store.Store;

class LocalAdminTest {
    @TempDir
    Path tmp;

    @Test
    void a_token_made_by_the_admin_token_command_ends_the_running_apps_old_token_and_its_sessions() {
        LocalAdmin running = new LocalAdmin(Store.open(tmp), Clock.systemUTC());
        String old = running.firstStart().orElseThrow();
        String session = running.signIn(old);
        assertEquals("local-admin", running.identify(new Credentials(null, false, null, session)).user());

        // Another process (java -jar app.jar admin-token) on the same store.
        String fresh = new LocalAdmin(Store.open(tmp), Clock.systemUTC()).rotate();

        assertThrows(UnauthorizedException.class, () -> running.identify(new Credentials(null, false, old, null)));
        assertThrows(UnauthorizedException.class, () -> running.identify(new Credentials(null, false, null, session)));
        assertThrows(UnauthorizedException.class, () -> running.signIn(old));
        assertEquals("local-admin", running.identify(new Credentials(null, false, fresh, null)).user());
    }

    @Test
    void a_session_ends_when_the_token_is_rotated_in_the_same_process() {
        LocalAdmin admin = new LocalAdmin(Store.open(tmp), Clock.systemUTC());
        String session = admin.signIn(admin.firstStart().orElseThrow());
        admin.rotate();
        assertThrows(UnauthorizedException.class, () -> admin.identify(new Credentials(null, false, null, session)));
    }
}
