"""The pages of the site: which there are (planned from the catalog, each with a digest of
its inputs) and how each kind is rendered."""
