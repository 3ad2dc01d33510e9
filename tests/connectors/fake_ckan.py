"""A CKAN action API on 127.0.0.1 for the worker test: it answers package_show and
resource_create with the recorded answers, after failing the first request with a 503 (a portal
restarting), and keeps every request it received."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .helpers import multipart_fields, recorded

CREATED = {
    "inclusion.csv": "ckan_resource_create_csv.json",
    "inclusion.geojson": "ckan_resource_create_geojson.json",
    "inclusion-mednum-1.0.2.csv": "ckan_resource_create_schema.json",
}


class FakeCkan(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, failures: int = 1):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.failures = failures
        self.received: list[dict] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> FakeCkan:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FakeCkan

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("multipart/form-data"):
            fields = multipart_fields(content_type, body)
        else:
            fields = json.loads(body or b"{}")
        self.server.received.append(
            {
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "fields": fields,
            }
        )
        if self.server.failures:
            self.server.failures -= 1
            self._answer(503, b"<html><title>503 Service Unavailable</title></html>", "text/html")
        elif self.path == "/api/action/package_show":
            self._answer_json(recorded("ckan_package_show_new.json"))
        elif self.path == "/api/action/resource_create":
            self._answer_json(recorded(CREATED[fields["name"]]))
        else:
            self._answer(404, b"{}", "application/json")

    def _answer_json(self, data: dict) -> None:
        self._answer(200, json.dumps(data).encode(), "application/json;charset=utf-8")

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass
