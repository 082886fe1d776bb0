"""/docs (Swagger UI) and /redoc that work offline: their scripts, styles and icon come from this
server (the copies the fastapi-offline package ships), not from a CDN or Google Fonts.

Each page gets its own Content-Security-Policy: scripts only from this server plus the page's own
inline script, allowed by its sha256 hash (computed from the HTML actually sent, so it follows the
page when FastAPI changes it). Every other response keeps the app's `default-src 'none'`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
STATIC_URL = "/docs-static"
ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"

# ReDoc draws Redocly's logo from their CDN, unconditionally; `data:,` is no image, so its onError
# handler removes the <img> and nothing leaves this machine
REDOC_LOGO = b'"https://cdn.redoc.ly/redoc/logo-mini.svg"'
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_POLICY = (
    "default-src 'none'; script-src 'self'{hashes}; style-src 'self'{styles}; img-src 'self' data:; "
    "connect-src 'self';{workers} base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def page_policy(html: str, inline_styles: bool = False, blob_workers: bool = False) -> str:
    """The policy for one docs page: scripts from 'self' plus the sha256 of each of its inline
    scripts; icons may be data: URIs (Swagger UI's), styles may be inline only where asked."""
    digests = [hashlib.sha256(s.encode()).digest() for s in _INLINE_SCRIPT.findall(html)]
    hashes = "".join(f" 'sha256-{base64.b64encode(d).decode()}'" for d in digests)
    return _POLICY.format(hashes=hashes, styles=" 'unsafe-inline'" if inline_styles else "",
                          workers=" worker-src blob:;" if blob_workers else "")  # fmt: skip


def _with_policy(page: HTMLResponse, inline_styles: bool = False, blob_workers: bool = False) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = page_policy(bytes(page.body).decode(), inline_styles, blob_workers)
    return page


@cache
def redoc_bundle() -> bytes:
    return (ASSETS / "redoc.standalone.js").read_bytes().replace(REDOC_LOGO, b'"data:,"')


def install_docs(app: FastAPI) -> None:
    """Mount the assets and add /docs, /docs/oauth2-redirect and /redoc (create the app with
    docs_url=None and redoc_url=None)."""

    @app.get(f"{STATIC_URL}/redoc.standalone.js", include_in_schema=False)
    def redoc_js() -> Response:  # before the mount, which serves the other assets as shipped
        return Response(redoc_bundle(), media_type="text/javascript", headers={"Cache-Control": "max-age=3600"})

    app.mount(STATIC_URL, StaticFiles(directory=ASSETS), name="docs-static")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get(DOCS_URL, include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _with_policy(
            get_swagger_ui_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - Swagger UI",
                oauth2_redirect_url=root + OAUTH2_REDIRECT_URL,
                swagger_js_url=f"{root}{STATIC_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{STATIC_URL}/swagger-ui.css",
                swagger_favicon_url=f"{root}{STATIC_URL}/favicon.png",
                # no badge from validator.swagger.io: it would send the schema's address away
                swagger_ui_parameters={**(app.swagger_ui_parameters or {}), "validatorUrl": None},
            )
        )

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return _with_policy(get_swagger_ui_oauth2_redirect_html())

    @app.get(REDOC_URL, include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _with_policy(
            get_redoc_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{root}{STATIC_URL}/redoc.standalone.js",
                redoc_favicon_url=f"{root}{STATIC_URL}/favicon.png",
                with_google_fonts=False,
            ),
            inline_styles=True,  # ReDoc styles its widgets with <style> elements made at run time
            blob_workers=True,  # and searches in a worker made from a blob: URL
        )
