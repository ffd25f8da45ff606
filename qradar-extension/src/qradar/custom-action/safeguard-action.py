#!/usr/bin/env python3
"""Safeguard Responder custom action: asks the Safeguard Responder app to protect data now.

QRadar runs this script when a rule fires (Rule Response -> Execute Custom Action) and passes the
parameters positionally, in the order they are defined on the custom action (the app defines them):

  1  app_url         fixed               https://<console>/console/plugins/<app id>/app_proxy
  2  action_token    fixed, encrypted    the app's action token
  3  sec_token       fixed, encrypted    the token of the QRadar authorized service the app made for this
                                         action; sent as SEC, so the console's app proxy lets the call through
                                         (an authorized service's POST needs no QRadarCSRF)
  4  console_sha256  fixed               SHA-256 fingerprint of the console's certificate, read by the app;
                                         the script talks to the console only if it presents that certificate
  5  action_type     fixed               scale-snapshot | csm-backup | cdm-restore
  6  target          fixed               the storage target's name in the app
  7  username        dynamic             event column username
  8  filename        dynamic             event column Filename (the DSM's custom property)
  9  file_path       dynamic             event column File path
 10  wait_seconds    fixed               how long to wait for the outcome (default 90; 0 = do not wait)
 11  event_time      dynamic             event column devicetime: when the storage system says the event
                                         happened, in epoch milliseconds (10 digits are read as seconds);
                                         an ISO-8601 time is passed on as it is
"none" stands for an empty value (QRadar passes arguments by position). Without a fingerprint the host's
trust store verifies the console. There is no way to turn verification off.

The action's context.eventTime is event_time as an ISO-8601 UTC instant with milliseconds
(2026-11-24T10:15:03.120Z). Without a usable event_time the script sends no eventTime rather than the time it
runs, which would pass for the event's time (recovery proposes the newest copy before the first event): the
action then has only the time the request arrived (acceptedAt). Actions made by older versions of the app have
9 parameters (the app updates them); until then wait_seconds and event_time are empty.

After the app took the request, the script waits (at most wait_seconds) for the action's outcome through
GET /api/actions/{id}/outcome (a coalesced request waits for the action that covers it), and prints one line
a person can read. Exit status:
  0  protected: the copy exists as planned (read back from the storage system)
  1  the app did not take the request: unreachable, refused (queue full), wrong token, HTTP error, or the
     console's certificate is not the pinned one
  2  wrong parameters
  3  protected, but not as planned (e.g. the snapshot expires at another time than planned)
  4  not protected: the storage system refused, or the copy is not there
  5  unknown: the outcome could not be confirmed (the app could not confirm the copy, or it was still
     running when wait_seconds ran out)
  6  dry run: the target (or the app) is set to journal actions without calling the storage system
With wait_seconds 0 the script does not wait: 0 when the app took the request, as before.
Never prints the tokens. Standard library only; runs on Python 3.6.

Every firing starts a new interpreter, so the script imports only what the request needs before sending it (no
http.client and urllib, which pull in the email package): it speaks HTTP/1.1 itself over one socket per request
(Connection: close), which the app and the console's proxy answer with Content-Length or chunked bodies.
"""
import hashlib
import hmac
import json
import os
import re
import socket
import ssl
import sys
import time

TYPES = ("scale-snapshot", "csm-backup", "cdm-restore")
USAGE = ("usage: safeguard-action.py APP_URL ACTION_TOKEN SEC_TOKEN CONSOLE_SHA256 ACTION_TYPE TARGET "
         "[USERNAME] [FILENAME] [FILE_PATH] [WAIT_SECONDS] [EVENT_TIME]")
WAIT_DEFAULT = 90
WAIT_MAX = 900
# Final statuses of an action (and of older app versions) and the exit status each one gives.
EXIT = {"protected": 0, "verified": 0, "protected-not-as-planned": 3, "not-protected": 4, "failed": 4,
        "refused": 1, "unknown": 5, "completed": 5, "interrupted": 5, "dry-run": 6}
# What the one line shows of a result, in this order.
SHOWN = ("snapshot", "expiresAt", "backupId", "backupTime", "runId", "status", "lastRan")
# An ISO-8601 date and time with a zone, as another source might give it; the app takes at most 64 characters.
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$")


def say(text, secrets):
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    line = "Safeguard Responder: " + text + "\n"
    # QRadar may run the script without a UTF-8 locale: a storage system's message must not crash the print.
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    sys.stdout.write(line.encode(encoding, "replace").decode(encoding))
    sys.stdout.flush()


def value(argv, i):
    v = argv[i] if len(argv) > i else ""
    return "" if v == "none" else v


def event_instant(event_time):
    """When the event happened, as ISO-8601 UTC with milliseconds, or None when event_time says nothing usable."""
    v = event_time.strip()
    if ISO.match(v):
        return v
    # QRadar gives devicetime in epoch milliseconds; 10 digits are seconds (until 2286), 11-13 milliseconds.
    if not (v.isdigit() and 10 <= len(v) <= 13):
        return None
    millis = int(v) * 1000 if len(v) == 10 else int(v)
    seconds, millis = divmod(millis, 1000)
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%03dZ" % millis
    except (OverflowError, OSError, ValueError):
        return None


class PinMismatch(Exception):
    pass


class Url(object):
    """scheme://host[:port]/path of the app URL (an IPv6 host in brackets)."""

    def __init__(self, text):
        self.scheme, _, rest = text.partition("://")
        self.scheme = self.scheme.lower()
        authority, slash, path = rest.partition("/")
        self.path = slash + path.split("?", 1)[0].split("#", 1)[0]
        authority = authority.rpartition("@")[2]
        if authority.startswith("["):
            host, _, port = authority[1:].partition("]")
            port = port[1:] if port.startswith(":") else ""
        else:
            host, _, port = authority.partition(":")
        self.hostname = host or None
        if port and not port.isdigit():
            raise ValueError("port '%s' is not a number" % port)
        self.port = int(port) if port else (443 if self.scheme == "https" else 80)


def connect(url, pin, timeout):
    """A socket to the console, TLS with its certificate verified by pin or by the host's trust store."""
    # An ASCII name goes as bytes: a str would be IDNA-encoded, which imports the idna codec and unicodedata.
    try:
        host = url.hostname.encode("ascii")
    except UnicodeEncodeError:
        host = url.hostname
    sock = socket.create_connection((host, url.port), timeout)
    if url.scheme == "http":
        return sock
    try:
        if not pin:
            return ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        # Pinned: the handshake takes any certificate, then nothing is sent unless it is the pinned one.
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        sock = context.wrap_socket(sock, server_hostname=host)
        seen = hashlib.sha256(sock.getpeercert(binary_form=True)).hexdigest()
        if seen != pin.replace(":", "").lower():
            raise PinMismatch(seen)
        return sock
    except BaseException:
        sock.close()
        raise


# The app answers in a few hundred bytes; a proxy's error page is small too. Nothing longer is read.
REPLY_MAX = 1 << 20


def read_reply(stream):
    """(status, body bytes) of one HTTP/1.1 answer: Content-Length, chunked, or up to the end of the connection;
    at most REPLY_MAX bytes of body (a longer one is cut, and then not JSON)."""
    line = stream.readline(65537)
    parts = line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise ValueError("not an HTTP answer: %r" % line[:80])
    status = int(parts[1])
    length, chunked = None, False
    while True:
        h = stream.readline(65537)
        if h in (b"\r\n", b"\n", b""):
            break
        name, _, v = h.partition(b":")
        name, v = name.strip().lower(), v.strip()
        if name == b"content-length" and v.isdigit():
            length = int(v)
        elif name == b"transfer-encoding" and b"chunked" in v.lower():
            chunked = True
    if status in (204, 304) or 100 <= status < 200:
        return status, b""
    if chunked:
        body, left = [], REPLY_MAX
        while left > 0:
            size = int(stream.readline(1026).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                break
            body.append(stream.read(min(size, left)))
            left -= size
            stream.readline(3)
        return status, b"".join(body)
    return status, stream.read(min(length, REPLY_MAX) if length is not None else REPLY_MAX)


def exchange(url, pin, method, path, body, headers):
    """One request to the app: (HTTP status, the JSON answer or {} when it is not JSON)."""
    host = url.hostname if ":" not in url.hostname else "[%s]" % url.hostname
    if url.port != (443 if url.scheme == "https" else 80):
        host += ":%d" % url.port
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: " + host, "Connection: close",
             "Content-Length: %d" % len(body or b"")]
    lines += ["%s: %s" % kv for kv in headers.items()]
    # A parameter with a line break must not become a header or a request of its own.
    if any(c in line for line in lines for c in "\r\n\0") or " " in path:
        raise ValueError("a parameter holds a line break or the app URL a space")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")
    sock = connect(url, pin, 20)
    try:
        sock.sendall(request)
        stream = sock.makefile("rb")
        try:
            status, raw = read_reply(stream)
        finally:
            stream.close()
    finally:
        sock.close()
    try:
        answer = json.loads(raw.decode("utf-8"))
    except ValueError:  # an HTML error page from a proxy says nothing useful
        answer = {}
    return status, answer


def wait_for_outcome(url, pin, headers, action_id, wait):
    """The action's standing once it is final, or the last one seen when the wait ran out (None if none)."""
    from urllib.parse import quote  # after the request: not on the way to it
    deadline = time.time() + wait
    standing, pause = None, 1.0
    while True:
        try:
            status, answer = exchange(url, pin, "GET", url.path.rstrip("/") + "/api/actions/%s/outcome"
                                      % quote(action_id), None, headers)
            if status == 200 and isinstance(answer, dict):
                standing = answer
                if answer.get("finished"):
                    return standing
        except (OSError, ValueError):
            pass  # the app may be restarting: it resumes the action; keep asking until the wait runs out
        left = deadline - time.time()
        if left <= 0:
            return standing
        time.sleep(min(pause, left))
        pause = min(pause * 1.5, 5.0)


def outcome_line(what, standing, request_id):
    """The one line for a final (or last seen) standing, and the exit status it gives."""
    result = standing.get("result") or {}
    shown = ", ".join("%s %s" % (k, result[k]) for k in SHOWN if k in result)
    detail = standing.get("error") or shown
    text = "%s %s (action %s)" % (what, standing.get("summary") or standing.get("status"), standing.get("id"))
    if detail:
        text += "; " + detail
    if request_id and request_id != standing.get("id"):
        text += "; request %s was coalesced into it" % request_id
    if not standing.get("finished"):
        return text + "; the outcome is not known yet: see the app's Actions page", 5
    return text, EXIT.get(standing.get("status"), 5)


def main(argv):
    if len(argv) < 7:
        print("Safeguard Responder: " + USAGE)
        return 2
    app_url, token, sec, pin, action_type, target = (value(argv, i) for i in range(1, 7))
    user, filename, path = value(argv, 7), value(argv, 8), value(argv, 9)
    event_time = event_instant(value(argv, 11))
    secrets = (token, sec)
    if action_type not in TYPES:
        say("unknown action type '%s' (expected one of %s)" % (action_type, ", ".join(TYPES)), secrets)
        return 2
    wait = value(argv, 10)
    if wait and not (wait.isdigit() and int(wait) <= WAIT_MAX):
        say("wait_seconds must be a number of seconds from 0 to %d" % WAIT_MAX, secrets)
        return 2
    wait = int(wait) if wait else WAIT_DEFAULT
    try:
        url = Url(app_url)
    except ValueError:
        url = None
    if url is None or url.scheme not in ("https", "http") or not url.hostname:
        say("the app URL must start with https://", secrets)
        return 2
    if not token:
        say("no action token: reveal or rotate it in the app", secrets)
        return 2

    rule = os.environ.get("RULE_NAME", "")
    rule_id = os.environ.get("RULE_ID", "")
    # The same firing retried within a minute gets the same key, so the app answers it once. event_time stays
    # out of it: a retry carries the same event_time anyway, and events on the same data in the same minute are
    # answered once, with the first one's time, which is the one that matters (the copy before the first event).
    # The key is an HMAC keyed by the sealed (encrypted) parameters, so nobody without them can predict it and
    # send it first to pre-empt this action; the app also binds a key to the type, target and scope it was used for.
    minute = time.strftime("%Y%m%d%H%M", time.gmtime())
    key = hmac.new(("%s|%s" % (sec, token)).encode("utf-8"),
                   "|".join((rule_id, rule, action_type, target, path, user, minute)).encode("utf-8"),
                   hashlib.sha256).hexdigest()
    body = {
        "type": action_type,
        "target": target,
        "idempotencyKey": "qradar-" + key[:40],
        "context": {"rule": rule or None, "user": user or None, "path": path or None, "filename": filename or None},
    }
    if event_time:
        body["context"]["eventTime"] = event_time
    headers = {"Content-Type": "application/json", "Accept": "application/json", "Authorization": "Bearer " + token}
    if sec:
        headers["SEC"] = sec
    what = "%s on %s" % (action_type, target)
    try:
        status, answer = exchange(url, pin, "POST", url.path.rstrip("/") + "/api/actions",
                                  json.dumps(body).encode("utf-8"), headers)
    except PinMismatch as e:
        say("FAILED %s: the console at %s presented a certificate with SHA-256 %s, not the pinned one; "
            "the app refreshes the pin when it next provisions its content" % (what, url.hostname, e), secrets)
        return 1
    except (OSError, ValueError) as e:
        say("FAILED %s: cannot reach the app at %s (%s)" % (what, app_url, e), secrets)
        return 1

    if status == 401 and "error" not in answer:
        say("FAILED %s: HTTP 401 from the console's app proxy: the SEC token was refused (the app renews it; "
            "check Settings in the app)" % what, secrets)
        return 1
    if status >= 300 or not isinstance(answer, dict):
        say("FAILED %s: HTTP %d %s" % (what, status, answer.get("error", "") if isinstance(answer, dict) else ""),
            secrets)
        return 1

    state = answer.get("status")
    if state == "refused":
        say("REFUSED %s: %s (action %s)" % (what, answer.get("reason", ""), answer.get("id")), secrets)
        return 1
    if state == "dry-run":
        say("DRY RUN %s: journaled what would be done, the storage system was not called (action %s)"
            % (what, answer.get("id")), secrets)
        return 6
    if wait == 0:
        if state == "coalesced":
            say("%s covered by action %s, %s (request %s)" % (what, answer.get("coalescedInto"),
                                                            answer.get("covering") or "", answer.get("id")), secrets)
        else:
            say("%s %s (action %s)" % (what, state, answer.get("id")), secrets)
        return 0
    del headers["Content-Type"]
    standing = wait_for_outcome(url, pin, headers, answer.get("id"), wait)
    if standing is None:
        say("%s %s (action %s); could not read its outcome within %d s: see the app's Actions page"
            % (what, state, answer.get("id"), wait), secrets)
        return 5
    text, code = outcome_line(what, standing, answer.get("id"))
    if not standing.get("finished"):
        text = text.replace(" (action ", " after %d s (action " % wait, 1)
    say(text, secrets)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
