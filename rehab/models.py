"""Exercise programmes, brace prescriptions and adherence (issue: rehab programme)."""
