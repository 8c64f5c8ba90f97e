"""Time from starting a command on a fresh pseudo-terminal (100x30) to `marker` in what it writes there.

Usage: python3 first-frame.py RUNS MARKER COMMAND [ARG...]. Prints one line: the times in ms, as JSON.
The clock starts just before fork() and stops when the marker has been read from the terminal; the child
is then killed. A run that shows no marker within 10 s is left out.
"""
import fcntl, json, os, pty, select, signal, struct, sys, termios, time

runs, marker, command = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3:]
times = []
for _ in range(runs):
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, struct.pack('HHHH', 30, 100, 0, 0))
        os.execvp(command[0], command)
    seen, deadline = b'', started + 10
    while marker not in seen and time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen = seen[-len(marker):] + chunk
    if marker in seen:
        times.append((time.perf_counter() - started) * 1000)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
print(json.dumps(times))
