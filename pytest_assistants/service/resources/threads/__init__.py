"""The thread: create (with messages and tool_resources), retrieve, modify, delete (§14)."""
