"""A WeasyPrint URL fetcher that serves only the invoice templates and the configured logo."""

import logging
from collections import deque
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)


class RefusedURL(ValueError):
    """A resource the invoice may not load: a network URL, or a file outside the allowed ones."""


class ConfinedURLFetcher(URLFetcher):
    """Serves `file:` URLs under the template folder or equal to the logo; refuses all else.

    Rendering must fetch no URL and read no other file, whatever an invoice's text contains.
    Jinja escapes user text already; this is the second wall, should markup ever get through.
    WeasyPrint catches the refusal, logs it and renders without the resource.
    """

    def __init__(self, folder: Path, extra_files: tuple[Path, ...] = ()):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.folder = folder.resolve()
        self.extra_files = frozenset(path.resolve() for path in extra_files)
        # The latest URLs refused, newest last: what a test or an operator looks at. Bounded, so
        # that a long-running worker fed hostile documents does not grow without end.
        self.refused: deque[str] = deque(maxlen=100)

    def fetch(self, url, headers=None):
        path = self.allowed_path(url)
        if path is None:
            self.refused.append(url)
            log.warning("Invoice rendering refused to load %s", url[:200])
            raise RefusedURL(f"Invoice rendering only loads its templates and the configured logo, not {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})

    def allowed_path(self, url: str) -> Path | None:
        """The file an allowed URL names, or None for any other URL."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        # resolve() follows symbolic links and "..", so neither can step out of the folder.
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if path in self.extra_files or (path.is_relative_to(self.folder) and path.is_file()):
            return path
        return None
