"""The dev server: the site served over HTTP, rebuilt as its sources change, and every
open page told over Server-Sent Events to reload, restyle or show what broke."""
