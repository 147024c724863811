"""The scorecard: published figures per plan priority, per plan and per area, on the plan's
scorecard and the national page, with the stored counts of people and feedback items."""
