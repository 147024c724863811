"""Themes ("you said"): an organiser's summaries of a closed consultation's feedback, each linked
to the answers, results and posts behind it."""
