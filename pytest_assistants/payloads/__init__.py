"""Seeded payload factories, labelled cases, Faker provider, Hypothesis strategies."""
