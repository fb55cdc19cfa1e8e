"""CSAM login: the simulated eID card reader and the user name + password form, and logout."""
