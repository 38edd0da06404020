"""The fake over real HTTP: ASGI app, uvicorn runner, SQLite state, OpenAPI document."""
