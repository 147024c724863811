"""Open data: an area's published ledger as JSON and CSV files, with a documented schema."""
