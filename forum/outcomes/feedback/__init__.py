"""What happened to my feedback: a person's answers and posts followed through the themes and
decisions to the commitments, on their own page and by email when something changes."""
