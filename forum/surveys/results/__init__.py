"""A survey's results, counted in SQL, with small counts withheld from those who may not see
them, and the organisers' choice of who sees the results."""
