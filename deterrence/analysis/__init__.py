"""Analyses of parametric models: batched outcomes, thresholds, regime maps and branches."""
