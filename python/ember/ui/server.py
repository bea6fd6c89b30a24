"""The web server of the UI and the history server: Python's
ThreadingHTTPServer on a daemon thread, answering GET with what
`route(path, query)` returns — (HTTP status, content type, body bytes).

Binds 127.0.0.1:`port`, or, when that port is taken, the next ones, as
Spark does: up to `max_retries` (spark.port.maxRetries, 16) more; port 0
takes any free port. `url` is "http://127.0.0.1:<port>".
"""

import errno
import http.server
import threading
import urllib.parse

HOST = "127.0.0.1"


class UIServer:
    def __init__(self, route, port, max_retries=16):
        self._server = _bind(_handler_class(route), port, max_retries)
        self.port = self._server.server_address[1]
        self.url = "http://%s:%d" % (HOST, self.port)
        # serve_forever notices shutdown() at its next poll: every 50 ms,
        # so stopping a context does not wait half a second for it.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="ember-ui", daemon=True)
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _bind(handler, port, max_retries):
    last_error = None
    for attempt in range(min(max_retries, 65535 - port) + 1 if port else 1):
        try:
            server = http.server.ThreadingHTTPServer((HOST, port + attempt if port else 0), handler)
            server.daemon_threads = True
            return server
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                raise
            last_error = e
    raise OSError(errno.EADDRINUSE, "web UI: ports %d to %d are all taken (spark.ui.port, "
                  "spark.port.maxRetries): %s" % (port, port + max_retries, last_error))


def _handler_class(route):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            try:
                status, content_type, body = route(urllib.parse.unquote(url.path), query)
            except Exception as e:  # a bug must not kill the server: answer 500
                status, content_type, body = 500, "text/plain", ("%s: %s" % (type(e).__name__, e)).encode()
            self.send_response(status)
            if status in (301, 302):
                self.send_header("Location", body.decode())
                body = b""
            self.send_header("Content-Type", content_type + "; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # no access log on the user's terminal
            pass

    return Handler
