"""CSAM access management for enterprises: the enterprise, the quality, users, co-GAPs, roles, deletion."""
