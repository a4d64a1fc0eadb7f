"""``python -m continue_setup.fakeserver``: the old name of ``python -m continue_setup.fake``.

Kept because earlier READMEs and users' scripts start the fake gateway by this name.
"""

from continue_setup.fake.server import main

if __name__ == "__main__":
    main()
