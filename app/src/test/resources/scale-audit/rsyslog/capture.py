"""Listens on three loopback UDP ports and writes each datagram rsyslog forwards as one line of <name>.log."""
import socket, sys, select

ports = {int(p): name for p, name in (a.split("=") for a in sys.argv[2:])}
out_dir, expected = sys.argv[1].split(":")
expected = int(expected)
socks, files, counts = {}, {}, {}
for port, name in ports.items():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    socks[s] = name
    files[name] = open(f"{out_dir}/{name}.log", "w", encoding="utf-8", newline="\n")
    counts[name] = 0
print("listening", flush=True)
while any(c < expected for c in counts.values()):
    ready, _, _ = select.select(list(socks), [], [], 30)
    if not ready:
        sys.exit("timed out waiting for rsyslog: " + repr(counts))
    for s in ready:
        data, _ = s.recvfrom(65536)
        name = socks[s]
        files[name].write(data.decode("utf-8").rstrip("\n") + "\n")
        counts[name] += 1
for f in files.values():
    f.close()
