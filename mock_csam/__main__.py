"""`python -m mock_csam serve …`, identical to `csam-mock serve …`."""

from .cli import main

main(prog_name="csam-mock")
