"""A read-only SPARQL 1.1 Protocol endpoint: the Oxigraph server (PyPI package ``oxigraph``).

:class:`Endpoint` runs ``oxigraph serve-read-only --location STORE --bind HOST:PORT`` as a
child process, on a store folder (``kg build --store``) or on a temporary store loaded from
a build's Turtle. Queries go to ``http://HOST:PORT/query``; updates are refused (HTTP 403).
It binds to loopback unless another host is given.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType, TracebackType

from kg.errors import KgError
from kg.store import open_store, write_store

#: Address the endpoint binds to unless told otherwise.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878


def oxigraph_command() -> str:
    """Path of the ``oxigraph`` server executable (beside this Python, else on ``PATH``).

    Raises
    ------
    kg.errors.KgError
        If the ``oxigraph`` package is not installed.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise KgError("the Oxigraph server is not installed (pip install oxigraph)")
    return found


def _netloc(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class Endpoint:
    """The Oxigraph server on a graph, as a context manager that always stops it.

    Parameters
    ----------
    graph : Path, optional
        A ``.ttl`` file or build folder, loaded into a temporary store first.
    store : Path, optional
        An Oxigraph store folder (``kg build --store``); used as it is.
    host, port : str, int
        Where to listen; loopback and 7878 by default.
    timeout_s : float, optional
        Longest time a query may run on the server.

    Examples
    --------
    A server for the committed build, on a free loopback port, stopped on exit::

        with Endpoint(graph=Path("exports"), port=0) as endpoint:
            print(endpoint.url)  # http://127.0.0.1:<port>/query
    """

    def __init__(
        self,
        graph: Path | None = None,
        store: Path | None = None,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        timeout_s: float | None = None,
    ) -> None:
        if (graph is None) == (store is None):
            raise KgError("give either a graph (--graph) or a store (--store), not both")
        self.graph, self.store, self.host, self.port = graph, store, host, port
        self.timeout_s = timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self._tmp: Path | None = None
        self._log: Path | None = None

    @property
    def url(self) -> str:
        """The SPARQL query URL, ``http://HOST:PORT/query``."""
        return f"http://{_netloc(self.host, self.port)}/query"

    def start(self, wait: float = 30.0) -> Endpoint:
        """Start the server and wait until it listens.

        Raises
        ------
        kg.errors.KgError
            If the server exits (port in use, bad store ...) or is not up within ``wait`` s.
        """
        self._tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        try:
            location = self.store
            if location is None:
                location = write_store(self.graph, self._tmp / "store")  # type: ignore[arg-type]
            else:
                open_store(location)  # a one-line error if it is not a store
            self._log = self._tmp / "server.log"
            cmd = [oxigraph_command(), "serve-read-only", "--location", str(location)]
            cmd += ["--bind", _netloc(self.host, self.port)]
            if self.timeout_s:
                cmd += ["--timeout-s", str(int(self.timeout_s))]
            with self._log.open("wb") as log:
                self.process = subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
                )
            self._wait_listening(wait)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_listening(self, wait: float) -> None:
        deadline = time.monotonic() + wait
        assert self.process is not None and self._log is not None
        while time.monotonic() < deadline:
            text = self._log.read_text("utf-8", errors="replace")
            if "Listening for requests at" in text:
                return
            if self.process.poll() is not None:
                lines = [line for line in text.splitlines() if line.strip()]
                why = lines[-1] if lines else f"exit code {self.process.returncode}"
                raise KgError(f"the Oxigraph server did not start: {why}")
            time.sleep(0.05)
        raise KgError(f"the Oxigraph server did not start within {wait:.0f}s")

    def wait(self) -> int:
        """Block until the server exits (or Ctrl-C / SIGTERM); return its exit code."""
        assert self.process is not None
        return self.process.wait()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``timeout`` s) and remove temp files."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> Endpoint:
        return self.start() if self.process is None else self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def serve_forever(endpoint: Endpoint, announce: Callable[[str], object] = print) -> int:
    """Start ``endpoint``, announce its URL, and run until Ctrl-C or SIGTERM; always stop it.

    Parameters
    ----------
    endpoint : Endpoint
        The server to run.
    announce : callable
        Called with the one-line message naming the URL (default: ``print``).

    Returns
    -------
    int
        0 when stopped by a signal, else the server's exit code.
    """

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        with endpoint:
            announce(f"SPARQL endpoint (read-only): {endpoint.url}  (Ctrl-C stops)")
            try:
                return endpoint.wait()
            except KeyboardInterrupt:
                return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
