"""A PostgreSQL that a test can stop, start and cut off mid-request: a TCP proxy.

The app under test connects to the proxy instead of the server. ``stop()`` closes the
listening socket (new connections are refused) and kills every live connection (the app's
next read or write fails): to the app that is exactly PostgreSQL going down, the same
psycopg errors as ``pg_ctl stop``. ``start()`` listens on the same port again: PostgreSQL
coming back.

Why not stop the real server: the machine's PostgreSQL also serves the rest of the suite,
other tests running at the same time and CI's own databases, and stopping it needs
privileges a test should not have. Behind the proxy only the app under test loses its
database, and the test decides exactly when.

``cut_at(...)`` goes further: it watches the statements the app sends and stops the
proxy when a given one arrives, before or after passing it on. That makes "the database went
away in the middle of saving" deterministic. The proxy reads the PostgreSQL wire protocol
only to find statement boundaries, so the app must connect without TLS
(``sslmode=disable``).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

# The untyped messages a client may send before its startup message; the server answers
# each with one byte and the startup message follows (protocol 3, "Message Formats").
SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104


class DatabaseProxy:
    """Forward 127.0.0.1:<port> to the database server at ``target`` until told otherwise."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0  # chosen by the first start(), kept afterwards
        self.statements: list[str] = []  # every statement passed on, in order
        self.cut = threading.Event()  # set when a cut_at() has stopped the proxy
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._running = False
        self._links: set[tuple[socket.socket, socket.socket]] = set()
        self._plan: list[str] = []
        self._deliver = False

    # --- Control -----------------------------------------------------------------------

    def start(self) -> None:
        """Accept connections (again), on the same port as before."""
        with self._lock:
            if self._running:
                return
            listener = socket.create_server(("127.0.0.1", self.port))
            listener.settimeout(0.05)  # so the accepting thread notices the close
            self.port = listener.getsockname()[1]
            self._listener, self._running = listener, True
            threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and kill the live ones, as a database going down does."""
        with self._lock:
            self._stop()

    def cut_at(self, *prefixes: str, deliver: bool) -> None:
        """Stop when the app sends a statement starting with the last of ``prefixes``, after
        statements starting with the others have passed, in that order. With ``deliver`` the
        statement reaches the server first (then its answer is lost); without, it never does.
        One cut: start() again to bring the database back."""
        with self._lock:
            self._plan, self._deliver = list(prefixes), deliver
            self.cut.clear()

    def disarm(self) -> None:
        with self._lock:
            self._plan = []

    # --- Inside --------------------------------------------------------------------------

    def _stop(self) -> None:
        if not self._running:
            return
        self._running = False
        # shutdown() stops the listening at once (close() alone waits for the accepting
        # thread to leave its poll): from now on, connecting is refused.
        _close(self._listener)
        for client, server in list(self._links):
            # The app's end is reset, like a server that went away; the server's end is
            # shut down gracefully, so a statement already passed on still arrives, and the
            # server then sees the client gone and rolls back whatever is not committed.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            _close(server)
            _close(client)
        self._links.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by stop()
                return
            client.settimeout(None)
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                if listener is not self._listener or not self._running:
                    client.close()  # stopped while this one was connecting
                    server.close()
                    return
                self._links.add((client, server))
            threading.Thread(target=self._to_server, args=(client, server), daemon=True).start()
            threading.Thread(target=self._to_client, args=(server, client), daemon=True).start()

    def _to_client(self, server: socket.socket, client: socket.socket) -> None:
        try:
            while data := server.recv(65536):
                client.sendall(data)
        except OSError:
            pass
        self._drop(client, server)

    def _to_server(self, client: socket.socket, server: socket.socket) -> None:
        """Pass the client's messages on one at a time, watching for the cut."""
        buffer = b""
        startup = True  # the first message (or two) carries no type byte
        try:
            while data := client.recv(65536):
                buffer += data
                while True:
                    if startup:
                        if len(buffer) < 8:
                            break
                        size = struct.unpack("!I", buffer[:4])[0]
                        code = struct.unpack("!I", buffer[4:8])[0]
                        startup = code in (SSL_REQUEST, GSSENC_REQUEST)
                    else:
                        if len(buffer) < 5:
                            break
                        size = 1 + struct.unpack("!I", buffer[1:5])[0]
                    if len(buffer) < size:
                        break
                    message, buffer = buffer[:size], buffer[size:]
                    if not self._pass_on(message, server):
                        return
        except OSError:
            pass
        self._drop(client, server)

    def _pass_on(self, message: bytes, server: socket.socket) -> bool:
        """Send one message to the server, unless it is the one to cut at. False when cut."""
        statement = _statement(message)
        if statement is not None:
            with self._lock:
                if self._plan and statement.startswith(self._plan[0]):
                    self._plan.pop(0)
                    if not self._plan:
                        if self._deliver:
                            server.sendall(message)
                            self.statements.append(statement)
                        # Said before the cut, not after: once the app's end is reset its
                        # answer can reach the test while this thread is still closing the
                        # other links (it releases the GIL on each close).
                        self.cut.set()
                        self._stop()
                        return False
                self.statements.append(statement)
        server.sendall(message)
        return True

    def _drop(self, client: socket.socket, server: socket.socket) -> None:
        with self._lock:
            if (client, server) not in self._links:
                return
            self._links.discard((client, server))
        _close(client)
        _close(server)


def _close(sock: socket.socket) -> None:
    """Shut down (waking a thread blocked on the socket), then close."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _statement(message: bytes) -> str | None:
    """The SQL of a simple Query ("Q") or extended-protocol Parse ("P") message."""
    kind, body = message[:1], message[5:]
    if kind == b"Q":
        return body.rstrip(b"\0").decode("utf-8", "replace")
    if kind == b"P":
        return body.split(b"\0")[1].decode("utf-8", "replace")
    return None
