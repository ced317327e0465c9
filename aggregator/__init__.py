"""newsagg: follow regional government news portals, keep every article once."""

__version__ = "0.1.0"
