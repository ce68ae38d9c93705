"""``ocop edit`` (``make edit``): the web editor on this computer, no network needed.

Decap CMS's local backend is a small Node server, decap-server, that reads and
writes the working copy; the editor page (``/quan-tri/``) finds it on port 8081
when it is opened from 127.0.0.1 or localhost. ``mkdocs serve`` runs beside it, so
every save shows in the preview a moment later. Both stop together.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

#: Where ``npm ci`` installs decap-server (pinned in package-lock.json).
TOOLS = Path(__file__).resolve().parent.parent.parent / "tools" / "web-editor"
#: The port Decap looks for its local backend on (``local_backend: true``).
PORT = 8081


class EditorUnavailable(Exception):
    """What is missing to run the editor locally, in staff's words."""


def server_command(tools: Path = TOOLS) -> list[str]:
    """The command that starts decap-server, installing it first if needed."""
    node = shutil.which("node")
    if node is None:
        raise EditorUnavailable(
            "Node.js is not installed; install it from https://nodejs.org/ (LTS), "
            "then run this command again")
    server = tools / "node_modules" / "decap-server" / "dist" / "index.js"
    if not server.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise EditorUnavailable("npm (which comes with Node.js) is not installed")
        print("Installing decap-server (once) …", flush=True)
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(tools)],
                       check=True)
    return [node, str(server)]


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def run(root: Path, config_file: Path, address: str = "127.0.0.1:8000") -> int:
    """Run decap-server on ``root`` and ``mkdocs serve`` until either stops (Ctrl+C)."""
    command = server_command()
    env = {**os.environ, "GIT_REPO_DIRECTORY": str(root), "PORT": str(PORT),
           "BIND_HOST": "127.0.0.1", "LOG_LEVEL": "warn"}
    server = subprocess.Popen(command, env=env)
    preview = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file),
                                "--dev-addr", address])
    # Closing the terminal or `kill` must stop both servers too, not only Ctrl+C.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    print(f"Trình sửa dữ liệu: http://{address}/quan-tri/ (Ctrl+C để dừng)", flush=True)
    try:
        return preview.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (preview, server):
            process.terminate()
        for process in (preview, server):
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
