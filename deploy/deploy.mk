# Deployment targets (included from the Makefile: `include deploy/deploy.mk`). See deploy/README.md.
BUNDLE_VERSION ?= $(shell sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml | head -1)
BUNDLE         ?= build/alliance-atlas-bundle-$(BUNDLE_VERSION).tar.gz
DEST           ?= /opt/alliance-atlas
REPLICAS       ?= 2
BASE_URL_PATH  ?=
PROXY_PORT     ?= 0

.PHONY: bundle verify-bundle install-offline replicas nginx

## make bundle: air-gapped tarball (wheels for this Python/platform, map assets, data, code, install.sh)
bundle: install assets
	PYTHON=$(abspath $(BIN)/python) VERSION=$(BUNDLE_VERSION) deploy/bundle.sh

## make verify-bundle: unpack in /tmp, install with no index (no network when root), health + leaflet.js
verify-bundle:
	deploy/verify_bundle.sh $(BUNDLE)

## make install-offline BUNDLE=... DEST=/opt/alliance-atlas: check, unpack and install with the index disabled
install-offline:
	@test -f "$(BUNDLE)" || { echo "no bundle at $(BUNDLE) (make bundle, or BUNDLE=path)" >&2; exit 1; }
	@if [ -f "$(BUNDLE).sha256" ]; then cd "$(dir $(BUNDLE))" && sha256sum -c "$(notdir $(BUNDLE)).sha256"; \
	  else echo "warning: no $(BUNDLE).sha256 next to the bundle; compare the checksum by hand" >&2; fi
	mkdir -p "$(DEST)"
	tar -C "$(DEST)" --strip-components=1 -xzf "$(BUNDLE)"
	PIP_NO_INDEX=1 "$(DEST)/install.sh"

## make replicas [REPLICAS=2] [BASE_URL_PATH=atlas] [PROXY_PORT=8080]: N replicas behind nginx until Ctrl-C
replicas: install assets nginx
	$(BIN)/python deploy/replicas.py run --replicas $(REPLICAS) --base-url-path "$(BASE_URL_PATH)" --port $(PROXY_PORT)

## make nginx: Debian's nginx when root (for make replicas and tests/deploy, which is skipped without it)
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx \
	  || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq nginx; } \
	  || echo "nginx is not installed: make replicas will not work and tests/deploy is skipped" >&2
