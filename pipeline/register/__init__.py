"""The register: requests, received files, documents and events in SQLite or PostgreSQL."""
