"""``python -m continue_setup.fake``: start the fake Langdock gateway."""

from continue_setup.fake.server import main

main()
