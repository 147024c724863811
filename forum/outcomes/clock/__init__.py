"""The accountability clock: is a consultation's response, or a decision "under consideration",
late, and by how many days? Days are counted between calendar days in Europe/London."""
