# FaceStream: the two commands of the README are `make demo` and `make test`.
SHARED ?= $(abspath ../shared)
# Where `make demo` installs the models: the per-user models directory facestream searches by
# default, so the README's commands work after it without setting anything.
MODEL_DIR ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/facestream/models
SAMPLE ?= $(firstword $(wildcard $(SHARED)/images/imgs/13.jpg) $(abspath out/sample.jpg))
SWIFT_BUILD_FLAGS ?=
# Release builds link the Swift runtime and Foundation statically: binding a dozen Swift shared
# libraries took about 5 ms of every start (a photo run is ~20 ms), and the binary then runs without
# the toolchain. Tests (debug) stay dynamic. Empty it to get the dynamic build.
RELEASE_FLAGS ?= --static-swift-stdlib

.PHONY: demo test lint format deps build build-info models sample clean install-models install check-units deb test-systemd-vm

## demo: install packages, build in release mode, fetch the models, detect faces on a sample photo
demo: deps build models sample
	.build/release/facestream detect $(SAMPLE)

## test: install packages and run the whole test suite (what CI runs)
test: deps
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	FACESTREAM_SHARED=$(SHARED) swift test --skip-build $(SWIFT_BUILD_FLAGS)

## lint: formatting check (what CI runs); format: rewrite the files in place
lint:
	swift format lint --strict --recursive Sources Tests Fuzz Package.swift

format:
	swift format --in-place --recursive Sources Tests Fuzz Package.swift

deps:
	bash scripts/install-deps

build: build-info
	swift build -c release $(RELEASE_FLAGS) $(SWIFT_BUILD_FLAGS)

## build-info: record the commit for `facestream --version` (rewritten only when it changes)
build-info:
	@mkdir -p Sources/CBuildInfo/generated
	@commit="$$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$$(git diff --quiet HEAD 2>/dev/null || echo -modified)"; \
	line="#define FACESTREAM_COMMIT \"$$commit\""; \
	if [ "$$(cat Sources/CBuildInfo/generated/commit.h 2>/dev/null)" != "$$line" ]; then \
	  echo "$$line" > Sources/CBuildInfo/generated/commit.h; fi

## models: copy from ../shared/models when present, else download (SHA-256 checked either way)
models:
	@if [ -d "$(SHARED)/models" ]; then \
	  scripts/fetch-models --from "$(SHARED)/models" --dest "$(MODEL_DIR)"; \
	else \
	  scripts/fetch-models --dest "$(MODEL_DIR)"; \
	fi

## sample: a photo to run the demo on (upstream's imgs/1.jpg when ../shared is absent)
sample:
	@if [ ! -f "$(SAMPLE)" ]; then mkdir -p out && scripts/fetch-sample out/sample.jpg; fi

## install: build (release) and install the binary, systemd units, sample config and models (as root)
install:
	scripts/install

## deb: the Debian package out/facestream_VERSION_ARCH.deb (release build, models from $(SHARED)/models, offline)
deb: build
	SHARED=$(SHARED) scripts/build-deb

## test-systemd-vm: boot Debian 12 under QEMU with systemd, install the .deb, check the units (as root)
test-systemd-vm:
	FACESTREAM_SHARED=$(SHARED) scripts/test-systemd-vm

## check-units: systemd-analyze verify and security (exposure at most 2.0) on systemd/*.service
check-units:
	scripts/check-units

clean:
	rm -rf .build out
