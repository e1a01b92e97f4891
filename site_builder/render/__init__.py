"""The view layer: jinja2 environment, assets, and the views templates are given."""
