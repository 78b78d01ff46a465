"""`python -m gateway.healthcheck`: exit 0 when this machine's gateway answers /health, for Docker's HEALTHCHECK.

It reads only GATEWAY_OBSERVABILITY__METRICS_LISTEN, the last word on the setting (environment
variables override every file): loading the whole configuration every 30 s would cost a second.
"""

import os
import sys
import urllib.error
import urllib.request

from gateway.metrics_client import TIMEOUT_SECONDS, local_url


def check(listen: str) -> tuple[int, str]:
    """The exit code and the line to print: 0 healthy (or nothing to check), 1 failing."""
    if not listen:
        return 0, "metrics_listen is empty: no health endpoint to check"
    url = local_url(listen, "/health")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS + 3) as response:
            return 0, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return 1, error.read().decode("utf-8", "replace")
    except (OSError, ValueError) as error:
        return 1, f"{url}: {error}"


def main() -> None:
    code, line = check(os.environ.get("GATEWAY_OBSERVABILITY__METRICS_LISTEN", ""))
    print(line)
    sys.exit(code)


if __name__ == "__main__":
    main()
