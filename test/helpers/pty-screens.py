"""Runs a command on a fresh pseudo-terminal and records every byte it writes, as a person's keys arrive.

Usage: python3 pty-screens.py COLS ROWS STEPS_JSON COMMAND [ARG...]
STEPS_JSON is a list of [marker, keys]: wait until `marker` has been written since the last step (10 s at
most), then type `keys`. After the last step the recording ends when the command exits. Prints the raw
bytes as base64 on stdout; exit 3 when a marker never came.
"""
import base64, fcntl, json, os, pty, select, struct, sys, termios, time

cols, rows, steps, command = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    os.execvp(command[0], command)

recorded = b''


def read_until(marker, deadline):
    global recorded
    start = len(recorded)
    while marker is None or marker.encode() not in recorded[start:]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return marker is None
        if not chunk:
            return marker is None
        recorded += chunk
    return True


ok = True
for marker, keys in steps:
    if not read_until(marker, time.monotonic() + 10):
        ok = False
        break
    os.write(fd, keys.encode())
read_until(None, time.monotonic() + 10)
try:
    os.kill(pid, 9)
except ProcessLookupError:
    pass
os.waitpid(pid, 0)
print(base64.b64encode(recorded).decode())
sys.exit(0 if ok else 3)
