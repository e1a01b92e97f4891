"""Search: Pagefind indexes of the cable pages, in shards when the archive is large."""
