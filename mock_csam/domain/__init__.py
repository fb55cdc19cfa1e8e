"""The mock's domain: records, identifier checks, rules and storage. It knows nothing of HTTP requests."""
