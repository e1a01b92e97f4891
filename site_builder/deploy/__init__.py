"""Deploying the built site: the host's settings (netlify.toml) and redirects (`_redirects`)."""
