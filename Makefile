# The two commands of the README:
#   make demo   install Zhiban, load the demo centres and start it on http://127.0.0.1:8000/
#   make test   install everything and run the whole test suite (browser tests included)
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint messages flows vendor bench

demo:
	./scripts/setup.sh
	$(VENV)/bin/zhiban demo
	$(VENV)/bin/zhiban serve --host $(HOST) --port $(PORT)

test:  ## two workers (pytest-xdist); the browser tests in a run of their own, after the rest
	./scripts/setup.sh --test
	$(VENV)/bin/python -m pytest -n 2 --dist loadscope -m "not e2e"
	$(VENV)/bin/python -m pytest -n 2 --dist loadscope -m e2e

lint:
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

messages:  ## refresh the zh-Hans catalogue after changing texts, then translate and compile
	cd src/zhiban && ../../$(VENV)/bin/zhiban makemessages -l zh_Hans --no-location --no-obsolete
	cd src/zhiban && ../../$(VENV)/bin/zhiban compilemessages

flows:  ## redraw docs/flows/ from the transition tables
	$(VENV)/bin/zhiban flows

vendor:  ## refresh the committed front-end assets from npm (package.json)
	./scripts/vendor.sh

bench:
	./scripts/setup.sh --test
	$(VENV)/bin/python bench/run_all.py
