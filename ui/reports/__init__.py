"""Reports drawn from a project: the charts dialog."""
