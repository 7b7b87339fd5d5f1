"""The portal server: records acknowledgements and graded quiz attempts; serves the site."""
