"""A small downstream application that manages OpenAI assistants (the code under test)."""
