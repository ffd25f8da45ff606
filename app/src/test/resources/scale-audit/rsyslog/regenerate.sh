#!/bin/sh
# Regenerates the fixtures in this folder with a real rsyslog (apt-get install rsyslog): it reads Scale audit
# records (the JSON of ../sample-events.log, as Scale's audit log file holds them) with imfile, tags them FAL as
# Scale's syslog forwarding does, and forwards each with rsyslog's three stock templates over UDP on loopback to
# capture.py. Nothing runs as root and the system's rsyslog is not touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill "$listener" 2>/dev/null || true; [ -f "$work/pid" ] && kill "$(cat "$work/pid")" 2>/dev/null || true; rm -rf "$work"' EXIT
n=6
sed -n "1,${n}p" "$here/../sample-events.log" | sed 's/^[^{]*//' > "$work/audit.json"
cat > "$work/rsyslog.conf" <<CONF
global(workDirectory="$work" localHostName="node1" maxMessageSize="64k")
module(load="imfile")
input(type="imfile" file="$work/audit.json" tag="FAL" facility="local4" severity="error" readMode="0")
action(type="omfwd" target="127.0.0.1" port="15141" protocol="udp" template="RSYSLOG_TraditionalForwardFormat")
action(type="omfwd" target="127.0.0.1" port="15142" protocol="udp" template="RSYSLOG_ForwardFormat")
action(type="omfwd" target="127.0.0.1" port="15143" protocol="udp" template="RSYSLOG_SyslogProtocol23Format")
CONF
python3 "$here/capture.py" "$here:$n" 15141=traditional 15142=forward 15143=syslog-protocol23 > "$work/listener.out" &
listener=$!
until grep -q listening "$work/listener.out" 2>/dev/null; do sleep 0.1; done
/usr/sbin/rsyslogd -n -f "$work/rsyslog.conf" -i "$work/pid" &
wait "$listener"
rsyslogd -v | head -1 > "$here/rsyslog-version.txt"
