"""Discussion search: full-text search over the posts and titles a person may read in one
area (SQLite FTS5 or PostgreSQL full-text), with snippets that mark the words found."""
