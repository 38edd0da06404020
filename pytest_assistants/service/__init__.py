"""The fake itself, framework-free: router, dialects, profiles, validation, store."""
