"""Run the command line as ``python -m continue_setup``."""

from continue_setup._start import main

if __name__ == "__main__":  # pragma: no cover - exercised through a subprocess test
    main()
