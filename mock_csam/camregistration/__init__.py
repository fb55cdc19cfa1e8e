"""Today's CSAM registration (site version `current`): a representative registers the institution in CSAM and
thereby designates themselves its main access manager (the GAP)."""
