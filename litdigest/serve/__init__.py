"""serve: the live preview: build, watch, rebuild what a change touches, reload the browser."""
