"""Free-text coding: organisers tag the written answers of a survey with codes."""
