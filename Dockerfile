# The gateway image: the same install script as `make deps`, then the package itself.
FROM python:3.11-slim-bookworm

WORKDIR /app
COPY scripts/install-system-deps.sh scripts/install-system-deps.sh
RUN sh scripts/install-system-deps.sh --runtime && rm -rf /var/lib/apt/lists/*

COPY . .
RUN pip install --no-cache-dir .

ENV GATEWAY_SMTP__LISTEN=0.0.0.0:2525 \
    GATEWAY_STORAGE__VAR_DIR=/var/lib/invoice-gateway
VOLUME ["/var/lib/invoice-gateway"]
EXPOSE 2525
ENTRYPOINT ["invoice-gateway"]
CMD ["serve"]
