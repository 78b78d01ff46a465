# The gateway image: the same install script as `make deps` (runtime packages only), then the package.
# One image for every role: `serve` (SMTP in, and a worker beside it) and `worker` (more workers,
# on this machine or others, with a broker). docs/deployment.md shows a whole deployment.
FROM python:3.11-slim-bookworm

WORKDIR /app
COPY scripts/install-system-deps.sh scripts/install-system-deps.sh
RUN sh scripts/install-system-deps.sh --runtime && rm -rf /var/lib/apt/lists/*

COPY . .
RUN pip install --no-cache-dir .

# The gateway never needs root: it listens on unprivileged ports and writes only under its volume.
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/invoice-gateway --no-create-home gateway \
    && mkdir -p /var/lib/invoice-gateway \
    && chown gateway:gateway /var/lib/invoice-gateway
USER gateway

# Defaults for a container; a --config file or -e GATEWAY_… variables change them.
# Logs are JSON lines on stderr (`docker logs`), and each process serves /metrics and /health.
ENV GATEWAY_SMTP__LISTEN=0.0.0.0:2525 \
    GATEWAY_STORAGE__VAR_DIR=/var/lib/invoice-gateway \
    GATEWAY_OBSERVABILITY__LOG_FORMAT=json \
    GATEWAY_OBSERVABILITY__METRICS_LISTEN=0.0.0.0:9100 \
    PYTHONUNBUFFERED=1
# SQLite (when no database_url is set), the local Maildir and the issued invoice PDFs.
VOLUME ["/var/lib/invoice-gateway"]
EXPOSE 2525 9100
# Healthy while the database (and the broker, if any) answer /health; with metrics_listen set
# empty there is no endpoint, and the check passes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "gateway.healthcheck"]
ENTRYPOINT ["invoice-gateway"]
CMD ["serve"]
