"""The message: create, list (order, cursors, run_id), retrieve, modify, delete (§14)."""
