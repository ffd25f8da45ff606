package safeguard.access;

import io.javalin.security.RouteRole;

/** Who may call a route; every /api route names one (a route that forgets is treated as ADMIN). */
public enum Access implements RouteRole {
    /** Liveness for QRadar and the bundle's start check. */
    PUBLIC,
    /** Custom actions: the handler checks the action token itself, so a refusal is journaled. */
    ACTION_TOKEN,
    /** Anyone signed in: QRadar users who can open the tab; the local admin outside QRadar. */
    VIEWER,
    /** Configuration changes: a QRadar administrator; the local admin outside QRadar. */
    ADMIN
}
