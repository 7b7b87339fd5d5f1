"""Rutinportalen: controlled documents, approval, site generation, quizzes and the portal."""

__version__ = "0.1.0"
