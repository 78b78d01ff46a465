"""Mindee's invoice API (v1 product InvoiceV4) as an optional cloud engine, through the official SDK.

The SDK reads its base URL and timeout from the process environment (MINDEE_BASE_URL,
MINDEE_REQUEST_TIMEOUT) when it builds an endpoint's settings. Setting the environment per call
would race between worker threads, so we never touch it: we build the `MindeeAPI` settings and
the `Endpoint` ourselves, then set `base_url`, `url_root` and `request_timeout` on that one
settings object. Each call has its own settings, which makes concurrent calls with different keys
or servers safe. With an empty base_url the SDK's own choice stands (MINDEE_BASE_URL, else the
public API).

We send the request with the SDK's endpoint (URL, "Token" header, multipart body) but read the
HTTP status ourselves, because the SDK's client drops the headers (Retry-After) and fails on
non-JSON error pages.
"""

import io
import time

import httpx
from mindee.error.mindee_error import MindeeError
from mindee.input.local_input_source import LocalInputSource
from mindee.v1.mindee_http.endpoint import Endpoint
from mindee.v1.mindee_http.mindee_api import MindeeAPI
from mindee.v1.parsing.common.predict_response import PredictResponse
from mindee.v1.product.invoice.invoice_v4 import InvoiceV4

from extraction.mindee_mapping import bill_from_invoice_v4
from extraction.model import Bill, ExtractionError

OWNER = "mindee"
# A 429 is retried once when Mindee asks for at most this many seconds of patience.
MAX_RETRY_WAIT = 5.0
DEFAULT_RETRY_WAIT = 1.0
# The SDK guesses the MIME type from the file name; a name without a known extension gets one
# from the file's first bytes.
SIGNATURES = [(b"%PDF", ".pdf"), (b"\x89PNG", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"II*\x00", ".tiff"),
              (b"MM\x00*", ".tiff"), (b"RIFF", ".webp")]
EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".heic", ".heif")


def read_with_mindee(data: bytes, filename: str, api_key: str, base_url: str = "", timeout: int = 60) -> Bill:
    """The bill Mindee reads in the file; ExtractionError with the reason when it cannot."""
    if not api_key:
        raise ExtractionError("Mindee needs an API key (extraction.mindee_api_key)")
    if not data:
        raise ExtractionError("empty file: nothing to send to Mindee")
    endpoint = _endpoint(api_key, base_url, timeout)
    response = _post(endpoint, data, filename)
    if response.status_code == 429:
        wait = _retry_after(response)
        if wait is None:
            raise ExtractionError(f"Mindee rate limited the request (HTTP 429): {_error_text(response)}")
        time.sleep(wait)
        response = _post(endpoint, data, filename)
    _raise_for_status(response, endpoint.settings.url_root)
    bill = bill_from_invoice_v4(_prediction(response))
    bill.filename = filename
    return bill


def _endpoint(api_key: str, base_url: str, timeout: int) -> Endpoint:
    name, version = InvoiceV4.endpoint_name, InvoiceV4.endpoint_version
    settings = MindeeAPI(api_key=api_key, endpoint_name=name, account_name=OWNER, version=version)
    if base_url:
        settings.set_base_url(base_url.rstrip("/"))
    settings.set_timeout(timeout)
    settings.url_root = f"{settings.base_url}/v1/products/{OWNER}/{name}/v{version}"
    return Endpoint(name, OWNER, version, settings, http_client=None)


def _post(endpoint: Endpoint, data: bytes, filename: str) -> httpx.Response:
    try:
        source = Upload(data, upload_name(data, filename))
    except (MindeeError, AssertionError) as error:
        # The SDK refuses file types Mindee does not read (its MimeTypeError is an AssertionError).
        raise ExtractionError(f"Mindee cannot read this file: {error}") from None
    url = endpoint.settings.url_root
    try:
        return endpoint.predict_req_post(source, close_file=True)
    except httpx.TimeoutException:
        raise ExtractionError(f"Mindee did not answer within {endpoint.settings.request_timeout} s ({url})") from None
    except httpx.HTTPError as error:
        raise ExtractionError(f"Mindee unreachable at {url}: {error or type(error).__name__}") from None


class Upload(LocalInputSource):
    """The SDK's in-memory input without its PDF opening: BytesInput opens a PDF with pdfium to count
    its pages, which would parse a possibly hostile file in the worker's own process instead of the
    extraction pool's children. The MIME type check (the SDK's list of what Mindee reads) stays."""

    # Deliberately no super().__init__(): that is where the SDK opens the PDF.
    def __init__(self, data: bytes, filename: str) -> None:
        self.file_object = io.BytesIO(data)
        self.filename = filename
        self.filepath = None
        self.page_count = 0
        self._check_mimetype()


def upload_name(data: bytes, filename: str) -> str:
    name = filename.rsplit("/", 1)[-1] or "document"
    if name.lower().endswith(EXTENSIONS):
        return name
    extension = next((ext for magic, ext in SIGNATURES if data.startswith(magic)), "")
    return name + extension


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait before the one retry, or None when Mindee asks for longer than we wait."""
    header = response.headers.get("Retry-After", "").strip()
    if not header:
        return DEFAULT_RETRY_WAIT
    try:
        wait = float(header)
    except ValueError:
        # An HTTP date: a wait we do not keep a worker for.
        return None
    return max(wait, 0.0) if wait <= MAX_RETRY_WAIT else None


def _raise_for_status(response: httpx.Response, url: str) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    detail = _error_text(response)
    if status == 401:
        raise ExtractionError(f"Mindee refused the API key (HTTP 401): {detail}")
    if status == 403:
        # Mindee answers 403 for a key whose plan or product does not allow the call.
        raise ExtractionError(f"Mindee refused this request for the API key (HTTP 403): {detail}")
    if status == 429:
        raise ExtractionError(f"Mindee rate limited the request (HTTP 429), also after one retry: {detail}")
    if status >= 500:
        raise ExtractionError(f"Mindee server error (HTTP {status}): {detail}")
    raise ExtractionError(f"Mindee rejected the request (HTTP {status} at {url}): {detail}")


def _error_text(response: httpx.Response) -> str:
    """Mindee's own words from its documented error body, else the start of whatever came back."""
    try:
        error = response.json()["api_request"]["error"]
        parts = [error.get("message"), error.get("details")]
        return " — ".join(str(part) for part in parts if part) or error.get("code", "no detail")
    except (ValueError, KeyError, TypeError, AttributeError):
        return response.text[:200].strip() or "empty answer"


def _prediction(response: httpx.Response):
    try:
        return PredictResponse(InvoiceV4, response.json()).document
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ExtractionError(f"Mindee's answer is not an invoice v4 prediction ({type(error).__name__}: "
                              f"{error})") from None
