"""vcrpy cassettes: replay, match, scrub, lint."""
