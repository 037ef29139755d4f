"""Game forms: normal form, extensive form, the reduced normal form, subgames and evaluation."""
