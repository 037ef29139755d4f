"""Sensitivity analysis of a model's measures: one-at-a-time (tornado), Morris and Sobol'."""
