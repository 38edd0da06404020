"""Ways in: every client library's request becomes one ``HttpRequest``."""
